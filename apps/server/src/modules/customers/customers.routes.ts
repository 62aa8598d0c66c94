import {
  Contact,
  ContactPage,
  ContactQuery,
  CreateContactBody,
  CreateOrganizationBody,
  IdParams,
  MergeContactBody,
  Organization,
  OrganizationPage,
  PageQuery,
  UpdateContactBody,
  UpdateOrganizationBody,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import { idempotent } from '../../platform/idempotency';
import {
  createContact,
  createOrganization,
  getContact,
  getOrganization,
  listContacts,
  listOrganizations,
  mergeContacts,
  updateContact,
  updateOrganization,
} from './customers.service';

const read = { access: { permission: 'customers:read' } };
const write = { access: { permission: 'customers:write' } };
export const IDEMPOTENT =
  'Send an `Idempotency-Key` header to make a retry safe: the same key and body return the first answer.';

/** Contacts and organisations. */
export function customerRoutes(deps: Deps) {
  return async (app: App) => {
    const tags = ['contacts'];
    app.get(
      '/contacts',
      { schema: { tags, querystring: ContactQuery, response: { 200: ContactPage } }, config: read },
      async (req) => listContacts(deps, req.query),
    );
    app.post(
      '/contacts',
      {
        schema: { tags, description: IDEMPOTENT, body: CreateContactBody, response: { 201: Contact } },
        config: write,
      },
      async (req, reply) =>
        idempotent(deps.database, req, reply, 201, () => createContact(deps, actorOf(req), req.body)),
    );
    app.get(
      '/contacts/:id',
      { schema: { tags, params: IdParams, response: { 200: Contact } }, config: read },
      async (req) => getContact(deps, req.params.id),
    );
    app.patch(
      '/contacts/:id',
      {
        schema: { tags, params: IdParams, body: UpdateContactBody, response: { 200: Contact } },
        config: write,
      },
      async (req) => updateContact(deps, actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/contacts/:id/merge',
      {
        schema: {
          tags,
          description:
            'Merges the duplicate `sourceId` into this contact; its tickets and addresses move here.',
          params: IdParams,
          body: MergeContactBody,
          response: { 200: Contact },
        },
        config: write,
      },
      async (req) => mergeContacts(deps, actorOf(req), req.params.id, req.body.sourceId),
    );

    const orgTags = ['organizations'];
    app.get(
      '/organizations',
      {
        schema: { tags: orgTags, querystring: PageQuery, response: { 200: OrganizationPage } },
        config: read,
      },
      async (req) => listOrganizations(deps, req.query),
    );
    app.post(
      '/organizations',
      {
        schema: {
          tags: orgTags,
          description: IDEMPOTENT,
          body: CreateOrganizationBody,
          response: { 201: Organization },
        },
        config: write,
      },
      async (req, reply) =>
        idempotent(deps.database, req, reply, 201, () => createOrganization(deps, actorOf(req), req.body)),
    );
    app.get(
      '/organizations/:id',
      { schema: { tags: orgTags, params: IdParams, response: { 200: Organization } }, config: read },
      async (req) => getOrganization(deps, req.params.id),
    );
    app.patch(
      '/organizations/:id',
      {
        schema: {
          tags: orgTags,
          params: IdParams,
          body: UpdateOrganizationBody,
          response: { 200: Organization },
        },
        config: write,
      },
      async (req) => updateOrganization(deps, actorOf(req), req.params.id, req.body),
    );
  };
}
