import type {
  FieldCondition,
  Organization,
  Problem,
  Team,
  TicketPage,
  View,
  ViewFilter,
  ViewList,
  ViewSort,
} from '@keepdesk/contract';
import { PRIORITIES, SLA_FILTER_STATES, STATUS_CATEGORIES, TICKET_TYPES } from '@keepdesk/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { tickets } from './tickets.tables';
import { compareForView, matchesView, type ViewTicket } from './views.domain';
import { ticketsMatching } from './views.service';

let server: TestServer;
let viewerHeaders: { authorization: string };
let viewerId: string;
let otherIds: string[];
let teamIds: string[];
let contactIds: string[];
let orgIds: string[];
let world: ViewTicket[];
const TAGS = ['alpha', 'beta', 'gamma', 'delta'];
const CHANNELS = ['email', 'web', 'phone'] as const;
const DAY = 86_400_000;
const EPOCH = Date.parse('2026-01-01T00:00:00.000Z');
const DAYS = ['2026-01-01', '2026-01-02', '2026-01-03'];
const FIELD_KEYS = ['size', 'multi', 'n', 'day', 'flag', 'absent'];
const dates = Array.from({ length: 6 }, (_, i) => new Date(EPOCH + i * DAY));
const SLA_POLICY = '00000000-0000-4000-8000-00000000051a';
const CONTACT_ATTRIBUTES: Record<string, string | number>[] = [
  { segment: 'gold', seats: 50 },
  { segment: 'silver', seats: 5 },
  {},
];

beforeAll(async () => {
  server = await startTestServer();
  const viewer = await bearerFor(server, 'manager');
  viewerHeaders = viewer.headers;
  viewerId = viewer.user.id;
  otherIds = [(await bearerFor(server)).user.id, (await bearerFor(server)).user.id];
  const call = (url: string, payload: object) =>
    server.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: viewerHeaders, payload });
  teamIds = [];
  for (const name of ['A', 'B'])
    teamIds.push((await call('/teams', { name: `Views ${name} ${uniq()}` })).json<Team>().id);
  await server.app.inject({
    method: 'PUT',
    url: `/api/v1/teams/${teamIds[0]}/members/${viewerId}`,
    headers: viewerHeaders,
    payload: {},
  });
  orgIds = [];
  for (const name of ['One', 'Two'])
    orgIds.push((await call('/organizations', { name: `Views ${name} ${uniq()}` })).json<Organization>().id);
  contactIds = [];
  for (let i = 0; i < 3; i++) {
    const attributes = CONTACT_ATTRIBUTES[i]!;
    contactIds.push(
      (await call('/contacts', { name: `Views contact ${i} ${uniq()}`, attributes })).json<{ id: string }>()
        .id,
    );
  }

  // A fixed random world of tickets, written straight into the table.
  const ticketArb = fc.record({
    category: fc.constantFrom(...STATUS_CATEGORIES),
    priority: fc.constantFrom(...PRIORITIES),
    type: fc.constantFrom(...TICKET_TYPES),
    channel: fc.constantFrom(...CHANNELS),
    assignee: fc.constantFrom<string | null>(null, viewerId, ...otherIds),
    team: fc.constantFrom<string | null>(null, ...teamIds),
    tags: fc.subarray(TAGS),
    requester: fc.constantFrom(...contactIds),
    organization: fc.constantFrom<string | null>(null, ...orgIds),
    // Some tickets sit exactly on the day boundaries the filters use, so ≥ versus > shows.
    created: fc.oneof(fc.integer({ min: 0, max: 5 * DAY }), fc.constantFrom(0, DAY, 2 * DAY, 3 * DAY)),
    updatedLater: fc.oneof(fc.integer({ min: 0, max: DAY }), fc.constantFrom(0, DAY)),
    // SLA summaries around the viewer's moment (day 3): not yet at risk, at risk, due exactly then, past due.
    sla: fc.constantFrom(null, 'running', 'running', 'running', 'paused', 'met', 'breached'),
    slaAtRisk: fc.constantFrom(null, 2 * DAY, 3 * DAY, 4 * DAY),
    slaDueAfterRisk: fc.constantFrom(0, DAY / 2, DAY),
    fields: fc.record(
      {
        size: fc.constantFrom('s', 'm', 'l'),
        multi: fc.subarray(['x', 'y', 'z'], { minLength: 1 }),
        n: fc.constantFrom(-2, -0.5, 0, 1, 2.5),
        day: fc.constantFrom(...DAYS),
        flag: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  });
  const samples = fc.sample(ticketArb, { numRuns: 60, seed: 42 });
  const inserted = await server.deps.database.db
    .insert(tickets)
    .values(
      samples.map((t, i) => ({
        subject: `view world ${i}`,
        statusKey: t.category,
        statusCategory: t.category,
        priority: t.priority,
        type: t.type,
        channel: t.channel,
        requesterId: t.requester,
        organizationId: t.organization,
        assigneeId: t.assignee,
        teamId: t.team,
        tags: t.tags,
        createdAt: new Date(EPOCH + t.created),
        updatedAt: new Date(EPOCH + t.created + t.updatedLater),
        customFields: { ...t.fields },
        slaPolicyId: t.sla ? SLA_POLICY : null,
        slaStatus: t.sla as 'running' | null,
        slaAtRiskAt: t.sla && t.slaAtRisk !== null ? new Date(EPOCH + t.slaAtRisk) : null,
        slaDueAt: t.sla && t.slaAtRisk !== null ? new Date(EPOCH + t.slaAtRisk + t.slaDueAfterRisk) : null,
      })),
    )
    .returning();
  world = inserted.map((r) => ({
    id: r.id,
    number: Number(r.number),
    statusKey: r.statusKey,
    statusCategory: r.statusCategory,
    priority: r.priority,
    type: r.type,
    channel: r.channel,
    assigneeId: r.assigneeId,
    teamId: r.teamId,
    tags: r.tags,
    requesterId: r.requesterId,
    organizationId: r.organizationId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    customFields: r.customFields,
    slaPolicyId: r.slaPolicyId,
    slaStatus: r.slaStatus,
    slaAtRiskAt: r.slaAtRiskAt,
    slaDueAt: r.slaDueAt,
    customerAttributes: CONTACT_ATTRIBUTES[contactIds.indexOf(r.requesterId)],
  }));
});
afterAll(async () => {
  await server?.close();
});

const list = <T>(values: readonly T[]) => fc.option(fc.subarray([...values]), { nil: undefined });
const dateArb = fc.option(
  fc.constantFrom(...dates).map((d) => d.toISOString()),
  { nil: undefined },
);

const keyArb = fc.constantFrom(...FIELD_KEYS);
const conditionArb: fc.Arbitrary<FieldCondition> = fc.oneof(
  fc.record({ key: keyArb, op: fc.constant('set' as const) }),
  fc.record({ key: keyArb, op: fc.constant('unset' as const) }),
  fc.record({
    key: keyArb,
    op: fc.constant('in' as const),
    values: fc.array(fc.constantFrom('s', 'm', 'x', 'z', true, false, 0, 2.5, DAYS[1]!), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  fc.record({
    key: keyArb,
    op: fc.constantFrom('gte' as const, 'lte' as const),
    value: fc.constantFrom(-1, 0, 2.5, ...DAYS),
  }),
);

const attributeKeyArb = fc.constantFrom('segment', 'seats', 'missing');
const attributeArb: fc.Arbitrary<FieldCondition> = fc.oneof(
  fc.record({ key: attributeKeyArb, op: fc.constantFrom('set' as const, 'unset' as const) }),
  fc.record({
    key: attributeKeyArb,
    op: fc.constant('in' as const),
    values: fc.array(fc.constantFrom('gold', 'silver', 5, 50), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    key: attributeKeyArb,
    op: fc.constantFrom('gte' as const, 'lte' as const),
    value: fc.constantFrom(5, 20),
  }),
);

const filterArb: fc.Arbitrary<ViewFilter> = fc
  .record({
    statusCategory: list(STATUS_CATEGORIES),
    priority: list(PRIORITIES),
    type: list(TICKET_TYPES),
    channel: list(CHANNELS),
    assignee: fc.constant(undefined).chain(() => list(['me', 'none', ...otherIds])),
    team: fc.constant(undefined).chain(() => list(['mine', 'none', ...teamIds])),
    tagsAll: list(TAGS),
    tagsAny: list(TAGS),
    tagsNone: list(TAGS),
    requesterId: fc.constant(undefined).chain(() => list(contactIds)),
    organizationId: fc.constant(undefined).chain(() => list(orgIds)),
    createdAfter: dateArb,
    createdBefore: dateArb,
    updatedAfter: dateArb,
    updatedBefore: dateArb,
    fields: fc.option(fc.array(conditionArb, { maxLength: 3 }), { nil: undefined }),
    sla: list(SLA_FILTER_STATES),
    customer: fc.option(fc.array(attributeArb, { maxLength: 2 }), { nil: undefined }),
  })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ViewFilter);

const sortArb: fc.Arbitrary<ViewSort> = fc.record({
  field: fc.constantFrom('updatedAt', 'createdAt', 'number', 'priority'),
  direction: fc.constantFrom('asc', 'desc'),
});

describe('view filters in SQL', () => {
  it('select exactly the tickets the reference predicate selects, in the reference order, across pages', async () => {
    const ours = new Set(world.map((t) => t.id));
    const viewer = { userId: viewerId, teamIds: [teamIds[0]!], now: new Date(EPOCH + 3 * DAY) };
    await fc.assert(
      fc.asyncProperty(filterArb, sortArb, async (filter, sort) => {
        const expected = world
          .filter((t) => matchesView(t, filter, viewer))
          .sort((a, b) => compareForView(a, b, sort))
          .map((t) => t.id);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await ticketsMatching(server.deps.database.db, filter, sort, viewer, {
            cursor,
            limit: 25,
          });
          seen.push(...page.items.map((t) => t.id).filter((id) => ours.has(id)));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual(expected);
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});

describe('views', () => {
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    headers = viewerHeaders,
  ) => server.app.inject({ method, url: `/api/v1${url}`, headers, payload });

  it('offers the default views with live counts', async () => {
    const views = (await call('GET', '/views')).json<ViewList>();
    expect(views.items.slice(0, 4).map((v) => v.builtIn)).toEqual([
      'my_open',
      'unassigned',
      'all_open',
      'pending',
    ]);
    const mine = views.items[0]!;
    const page = (await call('GET', `/views/${mine.id}/tickets?limit=200`)).json<TicketPage>();
    expect(
      page.items.every((t) => t.assignee?.id === viewerId && ['new', 'open'].includes(t.statusCategory)),
    ).toBe(true);
    expect(mine.count).toBeGreaterThanOrEqual(page.items.length);
  });

  it('keeps personal views to their owner and shared ones to tickets:admin', async () => {
    const agent = await bearerFor(server, 'agent');
    const personal = await call(
      'POST',
      '/views',
      { name: 'Meine VIPs', filter: { tagsAny: ['vip'] } },
      agent.headers,
    );
    expect(personal.statusCode).toBe(201);
    expect(personal.json<View>()).toMatchObject({ shared: false, ownerId: agent.user.id });
    expect((await call('GET', `/views/${personal.json<View>().id}`)).statusCode).toBe(404);

    const share = await call('POST', '/views', { name: 'Shared', shared: true, filter: {} }, agent.headers);
    expect(share.statusCode).toBe(403);
    const shared = await call('POST', '/views', {
      name: `Urgent ${uniq()}`,
      shared: true,
      filter: { priority: ['urgent'] },
    });
    expect(shared.statusCode).toBe(201);
    expect(
      (await call('PATCH', `/views/${shared.json<View>().id}`, { name: 'x' }, agent.headers)).statusCode,
    ).toBe(403);
    expect((await call('DELETE', `/views/${shared.json<View>().id}`)).statusCode).toBe(204);
  });

  it('refuses unknown filter fields and values, naming them', async () => {
    const unknown = await call('POST', '/views', { name: 'x', filter: { colour: ['red'] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<Problem>().detail).toContain('filter');
    const badValue = await call('POST', '/views', { name: 'x', filter: { priority: ['soon'] } });
    expect(badValue.json<Problem>().errors?.[0]?.field).toBe('filter.priority.0');
  });

  it('keeps default views from being deleted', async () => {
    const views = (await call('GET', '/views')).json<ViewList>();
    const res = await call('DELETE', `/views/${views.items[0]!.id}`);
    expect(res.statusCode).toBe(409);
  });
});
