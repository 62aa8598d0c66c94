/** Contacts and organisations: the customers behind the tickets. */

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
