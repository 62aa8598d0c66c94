/**
 * Organisations and custom fields as report dimensions (ADR 0032): which field keys are dimensions, the checks a
 * query with them must pass, and the labels of their values.
 */
import type { FieldOption, ReportDimension } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf } from '../../platform/db';
import { fieldError } from '../../platform/errors';
import { DIMENSION_FIELD_TYPES, isFieldDimension, type MetricKey } from './metrics.domain';

/** Survey metrics are kept by the invitation's team, agent, channel and organisation, not by ticket fields. */
const SURVEY_METRICS: readonly MetricKey[] = ['csat', 'nps', 'ces', 'survey_response_rate'];

/** The custom fields that are dimensions now, as `field:<key>`, in the order admins gave them. */
export async function fieldDimensions(deps: Deps): Promise<`field:${string}`[]> {
  const rows = rowsOf(
    await deps.database.db.execute(sql`select key, type from ticket_fields order by position, key`),
  );
  return rows
    .filter((r) => DIMENSION_FIELD_TYPES.includes(r.type as never))
    .map((r) => `field:${String(r.key)}` as const);
}

/**
 * Refuses a query on an organisation or field it cannot answer: an unknown field, a field of a type that is no
 * dimension, a field's "none", a survey metric by field, or one of them combined with another dimension.
 */
export async function checkDimensions(
  deps: Deps,
  metric: MetricKey,
  groupBy: ReportDimension | undefined,
  filter: ReadonlyMap<ReportDimension, string>,
): Promise<void> {
  const dims = new Set<ReportDimension>([...filter.keys(), ...(groupBy ? [groupBy] : [])]);
  const special = [...dims].filter((d) => d === 'organization' || isFieldDimension(d));
  if (special.length === 0) return;
  const fieldOf = (dim: ReportDimension) => (groupBy === dim ? 'groupBy' : 'filter');
  if (dims.size > 1) {
    throw fieldError(
      fieldOf(special[0]!),
      'organisations and custom fields are reported on their own, without a team or another dimension',
    );
  }
  const dim = special[0]!;
  if (!isFieldDimension(dim)) return;
  const key = dim.slice('field:'.length);
  const [row] = rowsOf(
    await deps.database.db.execute(sql`select type from ticket_fields where key = ${key}`),
  );
  if (!row) throw fieldError(fieldOf(dim), `there is no custom field "${key}"`);
  if (!DIMENSION_FIELD_TYPES.includes(row.type as never)) {
    throw fieldError(
      fieldOf(dim),
      `"${key}" is a ${String(row.type)} field; only dropdown, checkbox and multiselect fields are dimensions`,
    );
  }
  if (filter.get(dim) === '') {
    throw fieldError('filter', `tickets without a value for "${key}" are not kept apart; filter on a value`);
  }
  if (SURVEY_METRICS.includes(metric)) {
    throw fieldError(
      fieldOf(dim),
      `${metric} is kept by team, agent, channel and organisation, not by ticket field`,
    );
  }
}

/** Names of organisations, and the (English) labels of a field's options; `true`/`false` for checkboxes. */
export async function dimensionLabels(
  deps: Deps,
  dim: ReportDimension,
  keys: readonly (string | null)[],
): Promise<Map<string | null, string>> {
  const labels = new Map<string | null, string>(keys.map((k) => [k, k ?? '—']));
  if (dim === 'organization') {
    const ids = keys.filter((k): k is string => k !== null && /^[0-9a-f-]{36}$/i.test(k));
    if (ids.length === 0) return labels;
    const rows = rowsOf(
      await deps.database.db.execute(
        sql`select id, name from organizations where id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      ),
    );
    for (const r of rows) labels.set(String(r.id), String(r.name));
  } else if (isFieldDimension(dim)) {
    const key = dim.slice('field:'.length);
    const [row] = rowsOf(
      await deps.database.db.execute(sql`select options from ticket_fields where key = ${key}`),
    );
    for (const option of (row?.options as FieldOption[] | undefined) ?? []) {
      if (labels.has(option.value)) labels.set(option.value, option.labelEn);
    }
  }
  return labels;
}
