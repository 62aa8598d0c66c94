/** Tickets: conversation, history, statuses, custom fields. */

export { attachToMessage } from './attachments.service';
export { createField, listFields } from './fields.service';
export { addFollowersByEmail } from './followers.service';
export { ticketTimeline } from './history.service';
export { ticketRoutes } from './tickets.routes';
export {
  addCustomerMessage,
  addMessage,
  addSystemNote,
  createTicket,
  messageByExternalRef,
  messageForDelivery,
  moveTicketsToContact,
  routeTicket,
  setSlaSummary,
  updateTicket,
} from './tickets.service';
export { tickets } from './tickets.tables';
export { matchesView } from './views.domain';
