/** Tickets: conversation, history, statuses, custom fields. */
export { createField, listFields } from './fields.service';
export { ticketRoutes } from './tickets.routes';
export { addMessage, createTicket, moveTicketsToContact, updateTicket } from './tickets.service';
