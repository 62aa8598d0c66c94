/** Tickets: conversation, history, statuses. */
export { ticketRoutes } from './tickets.routes';
export { addMessage, createTicket, moveTicketsToContact, updateTicket } from './tickets.service';
