/** Contacts and organisations: the customers behind the tickets. */

export { normalizeEmail } from './customers.domain';
export { customerRoutes, IDEMPOTENT } from './customers.routes';
export {
  createOrganization,
  markEmailBouncing,
  onContactMerge,
  requesterByEmail,
  requesterById,
} from './customers.service';
export { contactIdentities, contacts, organizations } from './customers.tables';
