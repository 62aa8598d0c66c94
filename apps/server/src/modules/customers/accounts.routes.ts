import {
  BULK_MAX_ROWS,
  BulkAccountsBody,
  BulkOrdersBody,
  BulkSubscriptionsBody,
  BulkUpsertResult,
  BulkUsageEventsBody,
  CustomerAccount360,
  CustomerAccountPage,
  CustomerAccountQuery,
  CustomerImportBody,
  CustomerImportFields,
  CustomerImportFieldsQuery,
  CustomerImportReport,
  IdParams,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import { getAccount360, listAccounts } from './account360.service';
import { FIELDS, type FieldSpec } from './accounts.domain';
import { bulkUpsert, importCustomerCsv } from './accounts.service';

const read = { access: { permission: 'customers:read' } };
const write = { access: { permission: 'customers:write' } };
/** 10,000 rows of JSON pass the server's default 1 MB limit; 16 MB leaves room for long attribute values. */
const BULK_BODY_LIMIT = 16 * 1024 * 1024;
/** 20 MB of CSV text grows by its JSON escapes (quotes, line breaks) on the way in. */
const IMPORT_BODY_LIMIT = 24 * 1024 * 1024;
const CELL: Record<FieldSpec['type'], string> = {
  text: 'text',
  date: 'a date: ISO 8601 (2024-03-31), SQL, or the dateFormat given',
  time: 'a date or date-time: ISO 8601, SQL, or the dateFormat given; UTC without an offset',
  money: 'an amount with a decimal point or comma, no thousands separators',
  count: 'a whole number',
  list: 'items separated by |, ; or ,',
};
const BULK = `Upserts up to ${BULK_MAX_ROWS.toLocaleString('en')} rows by their external id, so a repeated call changes nothing twice. A body that does not match the schema is refused as a whole (400 naming the field, e.g. \`rows.17.mrr\`); rows that match but cannot be written (an unknown account or owner, a day in the future, a key repeated in the call) are skipped and listed in \`errors\` by index.`;

/** Customer 360 data: accounts with subscriptions, orders and product usage (ADR 0038). */
export function accountRoutes(deps: Deps) {
  return async (app: App) => {
    const tags = ['customer accounts'];
    const bulk = { tags, description: BULK, response: { 200: BulkUpsertResult } };
    app.post(
      '/customer-accounts/bulk',
      { schema: { ...bulk, body: BulkAccountsBody }, bodyLimit: BULK_BODY_LIMIT, config: write },
      async (req) => bulkUpsert(deps, actorOf(req), 'accounts', req.body.rows),
    );
    app.post(
      '/subscriptions/bulk',
      { schema: { ...bulk, body: BulkSubscriptionsBody }, bodyLimit: BULK_BODY_LIMIT, config: write },
      async (req) => bulkUpsert(deps, actorOf(req), 'subscriptions', req.body.rows),
    );
    app.post(
      '/orders/bulk',
      { schema: { ...bulk, body: BulkOrdersBody }, bodyLimit: BULK_BODY_LIMIT, config: write },
      async (req) => bulkUpsert(deps, actorOf(req), 'orders', req.body.rows),
    );
    app.post(
      '/usage-events/bulk',
      { schema: { ...bulk, body: BulkUsageEventsBody }, bodyLimit: BULK_BODY_LIMIT, config: write },
      async (req) => bulkUpsert(deps, actorOf(req), 'usage', req.body.rows),
    );
    app.post(
      '/customer-accounts/import',
      {
        schema: {
          tags,
          description:
            'Imports a CSV file of accounts, subscriptions, orders or usage events as `keepdesk customers import` does: upsert by external id, bad rows listed by line while the good ones are written. A required column the file lacks is a 400 naming the field. `dryRun` checks and counts without writing and returns a preview of the first rows.',
          body: CustomerImportBody,
          response: { 200: CustomerImportReport },
        },
        bodyLimit: IMPORT_BODY_LIMIT,
        config: write,
      },
      async (req) => {
        const { kind, csv, map, dateFormat, dryRun } = req.body;
        return importCustomerCsv(deps, actorOf(req), kind, csv, {
          mapping: map ?? {},
          dryRun,
          ...(dateFormat ? { dateFormat } : {}),
        });
      },
    );
    app.get(
      '/customer-accounts/import/fields',
      {
        schema: {
          tags,
          description:
            'The fields of an import kind: which are required, what a cell holds, other column names read as it.',
          querystring: CustomerImportFieldsQuery,
          response: { 200: CustomerImportFields },
        },
        config: write,
      },
      async (req) => ({
        kind: req.query.kind,
        fields: FIELDS[req.query.kind].map((spec) => ({
          name: spec.name,
          key: spec.key,
          type: spec.type,
          required: spec.required,
          description: CELL[spec.type],
          aliases: [...spec.aliases],
        })),
      }),
    );
    app.get(
      '/customer-accounts',
      {
        schema: { tags, querystring: CustomerAccountQuery, response: { 200: CustomerAccountPage } },
        config: read,
      },
      async (req) => listAccounts(deps, req.query),
    );
    app.get(
      '/customer-accounts/:id',
      {
        schema: {
          tags,
          description:
            'The account with its subscriptions, current MRR, orders, product usage of the last 30 days, contact, organisation and owner.',
          params: IdParams,
          response: { 200: CustomerAccount360 },
        },
        config: read,
      },
      async (req) => getAccount360(deps, req.params.id),
    );
  };
}
