import {
  type BuiltInRoleKey,
  CreateAutomationBody,
  CreateMailboxBody,
  CreateSurveyBody,
  type CreateTicketFieldBody,
  CreateTriggerBody,
  type FieldValue,
} from '@keepdesk/contract';
import { eq } from 'drizzle-orm';
import { seedCustomers } from './demo-customers';
import { createUser, findUserByEmail } from './modules/auth';
import {
  createAutomation,
  createTrigger,
  listAutomations,
  listTriggers,
  reschedule,
} from './modules/automations';
import { createOrganization } from './modules/customers';
import { createMailbox, listMailboxes } from './modules/email';
import { createSurvey, listSurveys, surveyTexts } from './modules/feedback';
import { seedKnowledgeDemo } from './modules/knowledge';
import { createTeam, putTeamMember, teams } from './modules/teams';
import { addMessage, createField, createTicket, listFields, updateTicket } from './modules/tickets';
import type { Deps } from './platform/context';
import { SYSTEM_ACTOR } from './platform/events';

export const DEMO_PASSWORD = 'keepdesk-demo';

/** One person for every role, so each view of the product can be tried. Later steps add their data here. */
export const DEMO_USERS: { email: string; name: string; role: BuiltInRoleKey; language: 'de' | 'en' }[] = [
  { email: 'admin@demo.keepdesk.test', name: 'Alex Admin', role: 'admin', language: 'en' },
  { email: 'manager@demo.keepdesk.test', name: 'Monika Manager', role: 'manager', language: 'de' },
  { email: 'lead@demo.keepdesk.test', name: 'Lena Lead', role: 'team_lead', language: 'de' },
  { email: 'agent@demo.keepdesk.test', name: 'Aaron Agent', role: 'agent', language: 'en' },
  { email: 'agent2@demo.keepdesk.test', name: 'Anna Agentin', role: 'agent', language: 'de' },
  {
    email: 'retention@demo.keepdesk.test',
    name: 'Rita Retention',
    role: 'retention_specialist',
    language: 'en',
  },
  { email: 'sales@demo.keepdesk.test', name: 'Sam Sales', role: 'collaborator', language: 'en' },
];

const DEMO_TEAMS = [
  {
    name: '1st Level Support',
    description: 'First answers on every channel',
    members: ['lead', 'agent', 'agent2'],
  },
  {
    name: 'Retention',
    description: 'Keeps customers who are about to leave',
    members: ['retention', 'manager'],
  },
];

/** Creates the demo workspace; each part once, so a data directory from an older release gains the new parts. */
export async function seedDemo(deps: Deps): Promise<{ created: boolean }> {
  const people = await seedPeople(deps);
  const fields = await seedFields(deps);
  const tickets = await seedTickets(deps);
  const mailbox = await seedMailbox(deps);
  const rules = await seedRules(deps);
  const surveys = await seedSurveys(deps);
  const customers = await seedCustomers(deps);
  const knowledge = await seedKnowledge(deps);
  return { created: people || fields || tickets || mailbox || rules || surveys || customers || knowledge };
}

/**
 * CSAT after every solved ticket (an hour later, good/bad, follow-up on a bad answer) and a relationship NPS
 * that is switched off until someone chooses its audience.
 */
async function seedSurveys(deps: Deps): Promise<boolean> {
  if ((await listSurveys(deps)).items.length > 0) return false;
  await createSurvey(
    deps,
    SYSTEM_ACTOR,
    CreateSurveyBody.parse({
      name: 'Satisfaction after a solved ticket',
      kind: 'csat',
      scale: 'good-bad',
      delayMinutes: 60,
      followUp: true,
      texts: surveyTexts('csat'),
    }),
  );
  await createSurvey(
    deps,
    SYSTEM_ACTOR,
    CreateSurveyBody.parse({
      name: 'Quarterly NPS',
      kind: 'nps',
      active: false,
      everyDays: 90,
      texts: surveyTexts('nps'),
    }),
  );
  return true;
}

/** A trigger and two automations of the kind every help desk starts with, so Settings shows them at work. */
async function seedRules(deps: Deps): Promise<boolean> {
  if ((await listTriggers(deps)).items.length > 0 || (await listAutomations(deps)).items.length > 0)
    return false;
  await createTrigger(
    deps,
    SYSTEM_ACTOR,
    CreateTriggerBody.parse({
      name: 'Raised to urgent: tell the team leads',
      description: 'Team leads hear at once when a ticket of their team becomes urgent.',
      events: ['updated'],
      conditions: { all: [{ field: 'priority', operator: 'changedTo', value: ['urgent'] }] },
      actions: [
        {
          type: 'notify',
          to: 'teamLeads',
          textEn: '#{{ticket.number}} is urgent now: {{ticket.subject}}',
          textDe: '#{{ticket.number}} ist jetzt dringend: {{ticket.subject}}',
        },
      ],
    }),
  );
  await createAutomation(
    deps,
    SYSTEM_ACTOR,
    CreateAutomationBody.parse({
      name: 'Waiting on the customer for 3 business days: remind',
      timing: { since: 'statusChanged', minutes: 3 * 8 * 60, businessHours: true },
      conditions: { all: [{ field: 'statusCategory', operator: 'is', value: ['pending'] }] },
      actions: [
        {
          type: 'email',
          to: 'requester',
          subjectEn: 'Do you still need our help?',
          subjectDe: 'Brauchen Sie unsere Hilfe noch?',
          bodyEn:
            'Hello {{customer.firstName}},\n\nwe are waiting for your answer on ticket {{ticket.number}} ({{ticket.subject}}). Just reply to this e-mail.',
          bodyDe:
            'Hallo {{customer.firstName}},\n\nwir warten auf Ihre Antwort zu Ticket {{ticket.number}} ({{ticket.subject}}). Antworten Sie einfach auf diese E-Mail.',
        },
      ],
    }),
    reschedule,
  );
  await createAutomation(
    deps,
    SYSTEM_ACTOR,
    CreateAutomationBody.parse({
      name: 'Solved for 4 days: close',
      timing: { since: 'solved', minutes: 4 * 24 * 60 },
      conditions: { all: [{ field: 'statusCategory', operator: 'is', value: ['solved'] }] },
      actions: [{ type: 'setStatus', value: 'closed' }],
    }),
    reschedule,
  );
  return true;
}

/** The demo's support address: mail to it (through the SMTP listener or the inbound API) becomes tickets. */
export const DEMO_MAILBOX = 'support@demo.keepdesk.test';

async function seedMailbox(deps: Deps): Promise<boolean> {
  const db = deps.database.db;
  if ((await listMailboxes(deps)).items.some((m) => m.address === DEMO_MAILBOX)) return false;
  const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.name, DEMO_TEAMS[0]!.name));
  await createMailbox(
    deps,
    SYSTEM_ACTOR,
    CreateMailboxBody.parse({
      address: DEMO_MAILBOX,
      senderName: 'Keepdesk Demo Support',
      teamId: team?.id ?? null,
      signature: 'Ihr Support-Team · Your support team\nKeepdesk Demo GmbH',
    }),
  );
  return true;
}

/** Articles, a translation, an expired article and a policy, owned by the demo team lead and agent. */
async function seedKnowledge(deps: Deps): Promise<boolean> {
  const ids = await demoUserIds(deps);
  const lead = ids.get('lead');
  const agent = ids.get('agent');
  return lead && agent ? seedKnowledgeDemo(deps, { lead, agent }) : false;
}

async function demoUserIds(deps: Deps): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const person of DEMO_USERS) {
    const user = await findUserByEmail(deps.database.db, person.email);
    if (user) ids.set(person.email.split('@')[0]!, user.id);
  }
  return ids;
}

async function seedPeople(deps: Deps): Promise<boolean> {
  if (await findUserByEmail(deps.database.db, DEMO_USERS[0]!.email)) return false;
  const ids = new Map<string, string>();
  for (const person of DEMO_USERS) {
    const user = await createUser(deps, SYSTEM_ACTOR, {
      ...person,
      timeZone: 'Europe/Berlin',
      password: DEMO_PASSWORD,
    });
    ids.set(person.email.split('@')[0]!, user.id);
  }
  for (const team of DEMO_TEAMS) {
    const created = await createTeam(deps, SYSTEM_ACTOR, { name: team.name, description: team.description });
    for (const member of team.members) {
      await putTeamMember(deps, SYSTEM_ACTOR, created.id, ids.get(member)!, member === 'lead');
    }
  }
  return true;
}

const DEMO_ORGANIZATIONS = [
  {
    name: 'Müller Maschinenbau GmbH',
    domains: ['mueller-maschinenbau.example'],
    attributes: { plan: 'Enterprise', seats: 120 },
  },
  {
    name: 'Nordlicht Reisen KG',
    domains: ['nordlicht-reisen.example'],
    attributes: { plan: 'Business', seats: 25 },
  },
  { name: 'Brightside Labs Ltd', domains: ['brightside.example'], attributes: { plan: 'Starter', seats: 8 } },
];

interface DemoTicket {
  subject: string;
  from: { email: string; name: string };
  body: string;
  channel: 'email' | 'web' | 'phone' | 'social' | 'review';
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  type?: 'question' | 'incident' | 'problem' | 'task' | 'complaint';
  tags?: string[];
  assignee?: string;
  status?: string;
  note?: string;
  reply?: string;
  fields?: Record<string, FieldValue>;
}

const option = (value: string, labelEn: string, labelDe: string) => ({ value, labelEn, labelDe });

const DEMO_FIELDS: CreateTicketFieldBody[] = [
  {
    key: 'product',
    type: 'dropdown',
    labelEn: 'Product',
    labelDe: 'Produkt',
    options: [
      option('cloud', 'Cloud', 'Cloud'),
      option('desktop', 'Desktop app', 'Desktop-App'),
      option('mobile', 'Mobile app', 'Mobile App'),
    ],
    requiredOnSolve: true,
    position: 10,
  },
  {
    key: 'order_number',
    type: 'text',
    labelEn: 'Order number',
    labelDe: 'Bestellnummer',
    options: [],
    requiredOnSolve: false,
    position: 20,
  },
  {
    key: 'affected_users',
    type: 'number',
    labelEn: 'Affected users',
    labelDe: 'Betroffene Nutzer',
    options: [],
    requiredOnSolve: false,
    position: 30,
  },
  {
    key: 'contract_end',
    type: 'date',
    labelEn: 'Contract end',
    labelDe: 'Vertragsende',
    options: [],
    requiredOnSolve: false,
    position: 40,
  },
  {
    key: 'modules',
    type: 'multiselect',
    labelEn: 'Modules',
    labelDe: 'Module',
    options: [
      option('billing', 'Billing', 'Abrechnung'),
      option('reporting', 'Reporting', 'Berichte'),
      option('export', 'Export', 'Export'),
    ],
    requiredOnSolve: false,
    position: 50,
  },
  {
    key: 'refund_promised',
    type: 'checkbox',
    labelEn: 'Refund promised',
    labelDe: 'Erstattung zugesagt',
    options: [],
    requiredOnSolve: false,
    position: 60,
  },
];

async function seedFields(deps: Deps): Promise<boolean> {
  const existing = new Set((await listFields(deps)).items.map((f) => f.key));
  const missing = DEMO_FIELDS.filter((f) => !existing.has(f.key));
  for (const field of missing) await createField(deps, SYSTEM_ACTOR, field);
  return missing.length > 0;
}

const DEMO_TICKETS: DemoTicket[] = [
  {
    subject: 'Rechnung Oktober doppelt abgebucht',
    from: { email: 'k.weber@mueller-maschinenbau.example', name: 'Katrin Weber' },
    body: 'Guten Tag,\n\nuns wurde die Rechnung für Oktober zweimal vom Konto abgebucht (Rechnungsnr. 2026-10-4471). Bitte erstatten Sie den doppelten Betrag.\n\nMit freundlichen Grüßen\nKatrin Weber',
    channel: 'email',
    priority: 'high',
    type: 'incident',
    tags: ['billing', 'refund'],
    assignee: 'agent2',
    note: 'Buchhaltung hat die doppelte Abbuchung bestätigt, Erstattung läuft.',
    reply:
      'Sehr geehrte Frau Weber,\n\ndanke für Ihren Hinweis. Die doppelte Abbuchung ist bestätigt; der Betrag wird innerhalb von 3 Werktagen erstattet.',
    status: 'pending',
    fields: { product: 'cloud', order_number: '2026-10-4471', modules: ['billing'], refund_promised: true },
  },
  {
    subject: 'Login nicht möglich nach Passwortänderung',
    from: { email: 'j.schulz@mueller-maschinenbau.example', name: 'Jonas Schulz' },
    body: 'Hallo,\n\nseit ich mein Passwort geändert habe, komme ich nicht mehr ins Portal. Die Fehlermeldung lautet „Konto gesperrt“.',
    channel: 'web',
    priority: 'urgent',
    type: 'incident',
    tags: ['login'],
    fields: { product: 'cloud', affected_users: 1 },
  },
  {
    subject: 'Can we add five more seats to our plan?',
    from: { email: 'olivia@brightside.example', name: 'Olivia Bennett' },
    body: 'Hi there,\n\nour team is growing. Could you add five more seats to our Starter plan, or should we upgrade?\n\nThanks,\nOlivia',
    channel: 'email',
    type: 'question',
    tags: ['sales', 'upgrade'],
    assignee: 'agent',
    reply:
      'Hi Olivia,\n\nhappy to help! Five more seats would take you past the Starter limit, so the Business plan is the better fit. I have attached a quote.',
    status: 'pending',
  },
  {
    subject: 'Buchungsbestätigung kam nicht an',
    from: { email: 'reservierung@nordlicht-reisen.example', name: 'Sabine Krause' },
    body: 'Sehr geehrte Damen und Herren,\n\nfür die Buchung NR-88231 haben wir keine Bestätigung per E-Mail erhalten. Können Sie diese erneut senden?',
    channel: 'email',
    tags: ['email-delivery'],
  },
  {
    subject: 'App crashes when exporting a report',
    from: { email: 'dev@brightside.example', name: 'Marcus Hill' },
    body: 'The desktop app closes without a message whenever I export the monthly report as PDF. Version 4.2.1 on Windows 11.',
    channel: 'web',
    priority: 'high',
    type: 'problem',
    tags: ['bug', 'export'],
    assignee: 'lead',
    note: 'Reproduced on Windows 11; forwarded to engineering as BUG-1042.',
    status: 'on_hold',
  },
  {
    subject: 'Kündigung zum Jahresende',
    from: { email: 'geschaeftsfuehrung@nordlicht-reisen.example', name: 'Thomas Berger' },
    body: 'Hiermit kündigen wir unseren Vertrag fristgerecht zum 31.12. Bitte bestätigen Sie den Eingang.',
    channel: 'email',
    priority: 'high',
    type: 'complaint',
    tags: ['cancellation', 'retention'],
    assignee: 'retention',
    fields: { product: 'cloud', contract_end: '2026-12-31' },
  },
  {
    subject: 'Frage zur DSGVO-Auskunft',
    from: { email: 'm.yilmaz@example.org', name: 'Mehmet Yılmaz' },
    body: 'Ich möchte nach Art. 15 DSGVO wissen, welche Daten Sie über mich gespeichert haben.',
    channel: 'web',
    type: 'task',
    tags: ['gdpr'],
  },
  {
    subject: 'Two-star review: "Support took three days"',
    from: { email: 'reviews@example.net', name: 'Review platform' },
    body: 'Product is fine, but support took three days to answer a simple question. Two stars.',
    channel: 'review',
    type: 'complaint',
    tags: ['review'],
  },
  {
    subject: 'Rückruf wegen Wartungsvertrag',
    from: { email: 'einkauf@mueller-maschinenbau.example', name: 'Petra Lang' },
    body: 'Telefonat: Frau Lang bittet um Rückruf zum Wartungsvertrag für die zweite Produktionshalle.',
    channel: 'phone',
    type: 'task',
    tags: ['callback'],
    assignee: 'agent2',
    status: 'solved',
    reply: 'Frau Lang wurde zurückgerufen, Angebot für den Wartungsvertrag folgt per Post.',
    fields: { product: 'desktop' },
  },
  {
    subject: 'Where is my invoice for September?',
    from: { email: 'accounts@brightside.example', name: 'Priya Shah' },
    body: 'Hello, I cannot find the invoice for September in the portal. Could you send it again?',
    channel: 'email',
    tags: ['billing'],
    assignee: 'agent',
    reply: 'Hello Priya, I have re-sent the September invoice to accounts@brightside.example.',
    status: 'solved',
    fields: { product: 'cloud', modules: ['billing'] },
  },
];

async function seedTickets(deps: Deps): Promise<boolean> {
  const { rows } = await deps.database.query('select 1 from organizations where name = $1', [
    DEMO_ORGANIZATIONS[0]!.name,
  ]);
  if (rows.length > 0) return false;
  const ids = await demoUserIds(deps);
  for (const organization of DEMO_ORGANIZATIONS) {
    await createOrganization(deps, SYSTEM_ACTOR, {
      ...organization,
      notes: '',
      accountOwnerId: ids.get('retention') ?? null,
    });
  }
  for (const demo of DEMO_TICKETS) {
    const ticket = await createTicket(deps, SYSTEM_ACTOR, {
      subject: demo.subject,
      requester: demo.from,
      message: { body: demo.body, visibility: 'public' },
      priority: demo.priority ?? 'normal',
      type: demo.type ?? 'question',
      channel: demo.channel,
      assigneeId: null,
      teamId: null,
      tags: demo.tags ?? [],
      customFields: demo.fields ?? {},
    });
    const assigneeId = demo.assignee ? ids.get(demo.assignee) : undefined;
    if (!assigneeId) continue;
    const actor = { kind: 'user' as const, userId: assigneeId };
    await updateTicket(deps, actor, ticket.id, { assigneeId });
    if (demo.note) await addMessage(deps, actor, ticket.id, { body: demo.note, visibility: 'internal' });
    if (demo.reply) await addMessage(deps, actor, ticket.id, { body: demo.reply, visibility: 'public' });
    if (demo.status) await updateTicket(deps, actor, ticket.id, { status: demo.status });
  }
  return true;
}
