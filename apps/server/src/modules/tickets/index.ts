/** Tickets: conversation, history, statuses, custom fields. */

export { contentDisposition, isInlineSafe } from './attachments.domain';
export { attachToMessage, storeFile, tooLarge } from './attachments.service';
export { createField, listFields } from './fields.service';
export { addFollowersByEmail } from './followers.service';
export { addEvents, ticketTimeline } from './history.service';
export { importTicketEvents } from './import.service';
export { detectLanguage } from './tickets.domain';
export { ticketRoutes } from './tickets.routes';
export {
  addCustomerMessage,
  addMessage,
  addSystemNote,
  applyUpdate,
  createTicket,
  insertSystemNote,
  lockState,
  messageByExternalRef,
  messageForDelivery,
  moveTicketsToContact,
  routeTicket,
  setSlaSummary,
  slaStateOf,
  updateTicket,
} from './tickets.service';
export { ticketMessages, ticketStatuses, tickets } from './tickets.tables';
export { matchesView } from './views.domain';
export { fieldCondition } from './views.service';
export { linkTickets } from './work.service';
export { worklogRoutes } from './worklog.routes';
