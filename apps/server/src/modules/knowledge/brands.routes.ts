import { Brand, BrandList, BrandParams, CreateBrandBody, UpdateBrandBody } from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import { createBrand, getBrand, listBrands, updateBrand } from './brands.service';

const tags = ['knowledge'];
const read = { access: { permission: 'kb:read' } };
const publish = { access: { permission: 'kb:publish' } };
// A new brand is a new public site and widget: an admin's decision.
const admin = { access: { permission: 'users:manage' } };

/** The brands of the help center and widget: name, address, colours, contact form and widget settings. */
export function brandRoutes(deps: Deps) {
  return async (app: App) => {
    app.get('/kb/brands', { schema: { tags, response: { 200: BrandList } }, config: read }, async () =>
      listBrands(deps),
    );
    app.post(
      '/kb/brands',
      { schema: { tags, body: CreateBrandBody, response: { 201: Brand } }, config: admin },
      async (req, reply) => reply.code(201).send(await createBrand(deps, actorOf(req), req.body)),
    );
    app.get(
      '/kb/brands/:id',
      { schema: { tags, params: BrandParams, response: { 200: Brand } }, config: read },
      async (req) => getBrand(deps, req.params.id),
    );
    app.put(
      '/kb/brands/:id',
      {
        schema: {
          tags,
          description:
            'Changes a brand; only the fields given. `widget` fields are merged into the current widget settings.',
          params: BrandParams,
          body: UpdateBrandBody,
          response: { 200: Brand },
        },
        config: publish,
      },
      async (req) => updateBrand(deps, actorOf(req), req.params.id, req.body),
    );
  };
}
