/** Contacts and organisations: the customers behind the tickets; customer accounts with their 360 data. */

export { IMPORT_KINDS, type ImportKind, parseTimeCell } from './accounts.domain';
export { accountRoutes } from './accounts.routes';
export { bulkUpsert, type ImportReport, importCustomerCsv } from './accounts.service';
export { normalizeEmail, normalizePhone } from './customers.domain';
export { customerRoutes, IDEMPOTENT } from './customers.routes';
export {
  contactByPhone,
  createContact,
  createOrganization,
  findOrCreateContactByPhone,
  markEmailBouncing,
  onContactMerge,
  requesterByEmail,
  requesterById,
} from './customers.service';
export { contactIdentities, contacts, organizations } from './customers.tables';
