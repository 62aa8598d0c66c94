/**
 * The demo workspace's customer base for retention: accounts with subscriptions and product usage over the last
 * two years, some of whom cancelled, a trained churn model, and eight weeks of scores so the trend shows.
 */
import type { AccountRow, OrderRow, SubscriptionRow, UsageEventRow } from '@keepdesk/contract';
import { createRandom } from '@keepdesk/stats';
import { bulkUpsert } from './modules/customers';
import { runRetention, scoreWorkspace } from './modules/retention';
import type { Deps } from './platform/context';
import { SYSTEM_ACTOR } from './platform/events';

const DAY_MS = 86_400_000;
const ACCOUNTS = 240;
const WEEKS_OF_USAGE = 30;
const WEEKS_OF_SCORES = 8;
/** Accounts that also buy add-ons, so the lifetime-value page has orders to fit. */
const BUYERS = 150;
const PLANS = [
  { plan: 'Starter', mrr: 49 },
  { plan: 'Business', mrr: 149 },
  { plan: 'Enterprise', mrr: 499 },
] as const;
const FEATURES = ['report.created', 'dashboard.viewed', 'export.run'] as const;
const REASONS = ['too expensive', 'missing feature', 'switched to a competitor', 'company closed'];
const REGIONS = ['DE', 'AT', 'CH', 'UK'];
const NAMES = ['Werk', 'Logistik', 'Handel', 'Studio', 'Labs', 'Reisen', 'Bau', 'Medien'];

/** The three demo organisations as accounts, linked through their contacts' addresses. */
const DEMO_ACCOUNTS = [
  {
    email: 'k.weber@mueller-maschinenbau.example',
    name: 'Müller Maschinenbau GmbH',
    plan: 2,
    seats: 120,
    fading: true,
  },
  {
    email: 'reservierung@nordlicht-reisen.example',
    name: 'Nordlicht Reisen KG',
    plan: 1,
    seats: 25,
    fading: false,
  },
  { email: 'olivia@brightside.example', name: 'Brightside Labs Ltd', plan: 0, seats: 8, fading: true },
];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Add-on purchases while the account subscribes, as BG/NBD pictures buying: random gaps around the account's
 * own rate, and after each purchase a chance that it buys no more.
 */
function addOnOrders(
  random: () => number,
  account: string,
  startDays: number,
  endDays: number | null,
  ago: (days: number) => Date,
): OrderRow[] {
  const orders: OrderRow[] = [];
  const meanGap = 15 + random() ** 2 * 250;
  const stopChance = 0.02 + random() ** 2 * 0.5;
  // Some accounts buy small add-ons, others large ones; each order varies around the account's own size.
  const size = 20 * Math.exp(random() * 2.5);
  let days = Math.min(startDays, 730) - Math.floor(random() * 60);
  for (let n = 1; days > (endDays ?? 0); n++) {
    orders.push({
      externalId: `ord-${account}-${n}`,
      account,
      orderedAt: ago(days).toISOString(),
      amount: Math.round(size * (0.6 + random() * 0.8)) + 5,
    });
    if (random() < stopChance) break;
    days -= Math.ceil(-meanGap * Math.log(1 - random()));
  }
  return orders;
}

/** Creates the customer base once (when there is none) and scores it. */
export async function seedCustomers(deps: Deps): Promise<boolean> {
  const { rows } = await deps.database.query('select 1 from customer_accounts limit 1');
  if (rows.length > 0) return false;
  const random = createRandom(7);
  const now = deps.now();
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const accounts: AccountRow[] = [];
  const subscriptions: SubscriptionRow[] = [];
  const usage: UsageEventRow[] = [];
  const orders: OrderRow[] = [];
  // A stream of its own, so the subscriptions and usage above stay what they were.
  const buying = createRandom(13);
  for (let i = 0; i < ACCOUNTS + DEMO_ACCOUNTS.length; i++) {
    const demo = DEMO_ACCOUNTS[i - ACCOUNTS];
    const externalId = demo ? `demo-${i - ACCOUNTS + 1}` : `cus-${String(i + 1).padStart(4, '0')}`;
    const planIndex = demo?.plan ?? (random() < 0.45 ? 0 : random() < 0.7 ? 1 : 2);
    const seats = demo?.seats ?? Math.max(1, Math.round(planIndex * 20 * random() + 3 * random() + 1));
    const region = REGIONS[Math.floor(random() * REGIONS.length)]!;
    const startDays = 120 + Math.floor(random() * 600);
    // Small Starter accounts leave most; support trouble (below) and fading use show before they go.
    const risk = sigmoid(
      -1.6 + (planIndex === 0 ? 1.2 : 0) - (planIndex === 2 ? 1 : 0) + (seats < 5 ? 0.9 : 0),
    );
    const cancelled = !demo && random() < risk;
    const endDays = cancelled ? Math.floor(random() * Math.min(startDays - 60, 330)) : null;
    const fading = demo?.fading ?? (!cancelled && random() < risk * 0.8);
    accounts.push({
      externalId,
      name: demo?.name ?? `${NAMES[i % NAMES.length]} ${String.fromCharCode(65 + (i % 26))}${i} GmbH`,
      ...(demo ? { email: demo.email } : {}),
      owner: 'retention@demo.keepdesk.test',
      attributes: { seats, region },
    });
    const plan = PLANS[planIndex]!;
    subscriptions.push({
      externalId: `sub-${externalId}`,
      account: externalId,
      plan: plan.plan,
      mrr: plan.mrr + (planIndex > 0 ? seats * 2 : 0),
      startedOn: dayOf(ago(startDays)),
      endedOn: endDays === null ? null : dayOf(ago(endDays)),
      ...(endDays === null ? {} : { cancelReason: REASONS[Math.floor(random() * REASONS.length)]! }),
    });
    if (i < BUYERS) orders.push(...addOnOrders(buying, externalId, startDays, endDays, ago));
    const base = 2 + seats * (0.3 + random());
    for (let week = 0; week < WEEKS_OF_USAGE; week++) {
      const day = week * 7 + Math.floor(random() * 7);
      if (day > startDays || (endDays !== null && day < endDays)) continue;
      // Weeks before leaving (or, for fading accounts, the recent weeks) see less and less use.
      const weeksBeforeEnd = endDays === null ? (fading ? week : 99) : (day - endDays) / 7;
      const level = weeksBeforeEnd < 10 ? weeksBeforeEnd / 10 : 1;
      for (const [f, feature] of FEATURES.entries()) {
        const count = Math.round((base * level * random()) / (f + 1));
        if (count > 0)
          usage.push({ account: externalId, name: feature, occurredAt: ago(day).toISOString(), count });
      }
    }
  }
  for (const [kind, list] of [
    ['accounts', accounts],
    ['subscriptions', subscriptions],
    ['usage', usage],
    ['orders', orders],
  ] as const) {
    const result = await bulkUpsert(deps, SYSTEM_ACTOR, kind, list as never);
    if (result.errors.length > 0) {
      deps.log.warn({ kind, errors: result.errors.slice(0, 5) }, 'demo customer data not all written');
    }
  }
  // Eight weekly scorings before today's (with the model trained today), so each account has a trend.
  await runRetention(deps, { train: true });
  for (let week = WEEKS_OF_SCORES; week >= 1; week--) {
    const then = ago(week * 7);
    await scoreWorkspace({ ...deps, now: () => then });
  }
  await runRetention(deps);
  return true;
}
