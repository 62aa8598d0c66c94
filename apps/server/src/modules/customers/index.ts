/** Contacts and organisations: the customers behind the tickets. */

export { customerRoutes, IDEMPOTENT } from './customers.routes';
export {
  createOrganization,
  findOrCreateContactByEmail,
  onContactMerge,
} from './customers.service';
export { contactIdentities, contacts, organizations } from './customers.tables';
