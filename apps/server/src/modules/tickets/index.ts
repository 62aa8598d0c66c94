/** Tickets: conversation, history, statuses, custom fields. */

export { attachToMessage } from './attachments.service';
export { createField, listFields } from './fields.service';
export { ticketRoutes } from './tickets.routes';
export {
  addCustomerMessage,
  addMessage,
  createTicket,
  messageByExternalRef,
  messageForDelivery,
  moveTicketsToContact,
  updateTicket,
} from './tickets.service';
export { tickets } from './tickets.tables';
