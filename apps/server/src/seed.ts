import type { DatabaseHandle } from './platform/db';

/**
 * Large, realistic ticket volumes for benchmarks and load tests (`keepdesk seed --tickets N`). Rows are
 * generated inside PostgreSQL (INSERT … SELECT over generate_series) in batches, with German and English
 * subjects and messages, a plausible mix of statuses, priorities, channels and tags, customers in
 * organisations, and search documents — so a million tickets take minutes, not hours.
 */
export interface SeedOptions {
  tickets: number;
  messagesPerTicket: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

const SUBJECTS_DE = [
  'Rechnung doppelt abgebucht',
  'Lieferung nicht angekommen',
  'Passwort zurücksetzen funktioniert nicht',
  'Frage zur Kündigungsfrist',
  'Artikel beschädigt geliefert',
  'Rückerstattung noch nicht erhalten',
  'App stürzt beim Start ab',
  'Adresse ändern',
  'Gutschein lässt sich nicht einlösen',
  'Vertrag verlängern',
];
const SUBJECTS_EN = [
  'Charged twice for my order',
  'Package never arrived',
  'Cannot reset my password',
  'Question about the cancellation period',
  'Item arrived damaged',
  'Refund still missing',
  'App crashes on start',
  'Change my shipping address',
  'Voucher code does not work',
  'Upgrade my subscription',
];
const BODIES_DE = [
  'Guten Tag, ich habe leider ein Problem mit meiner Bestellung und bitte um schnelle Hilfe. Vielen Dank!',
  'Hallo, seit gestern funktioniert der Zugang nicht mehr. Können Sie das bitte prüfen?',
  'Sehr geehrte Damen und Herren, die Rechnung stimmt nicht mit meiner Bestellung überein.',
  'Ich warte seit zwei Wochen auf eine Antwort. Bitte melden Sie sich bei mir.',
  'Vielen Dank für die schnelle Antwort, das Problem ist jetzt gelöst.',
];
const BODIES_EN = [
  'Hi, I have a problem with my order and would appreciate quick help. Thanks!',
  'Hello, since yesterday I cannot log in any more. Could you please check?',
  'Dear team, the invoice does not match what I ordered.',
  'I have been waiting for two weeks for an answer. Please get back to me.',
  'Thanks for the quick reply, the issue is solved now.',
];
const TAGS = [
  'billing',
  'refund',
  'shipping',
  'login',
  'bug',
  'vip',
  'cancellation',
  'voucher',
  'upgrade',
  'damaged',
];

function literal(values: readonly string[]): string {
  return `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;
}

/** Customers to file the tickets under (one per 5 tickets, in organisations), listed in `table` by number. */
async function seedCustomers(
  database: DatabaseHandle,
  count: number,
  tag: string,
  table: string,
): Promise<void> {
  const organizations = Math.max(1, Math.floor(count / 40));
  await database.exec(`
    create unlogged table ${table} (n int primary key, id uuid not null);
    insert into organizations (name)
    select 'Seed ${tag} Org ' || g from generate_series(1, ${organizations}) g;
    with orgs as (select array_agg(id order by name) as ids from organizations where name like 'Seed ${tag} Org %'),
    made as (
      insert into contacts (name, language, organization_id)
      select (array['Anna','Ben','Clara','David','Emma','Felix','Greta','Hugo','Ida','Jonas'])[1 + (g % 10)]
               || ' ' || (array['Müller','Smith','Schmidt','Brown','Weber','Taylor','Fischer','Wilson'])[1 + (g % 8)]
               || ' ' || g,
             case when g % 3 = 0 then 'en' else 'de' end,
             orgs.ids[1 + g % cardinality(orgs.ids)]
        from generate_series(1, ${count}) g, orgs
      returning id
    )
    insert into ${table} (n, id) select row_number() over (), id from made;
    insert into contact_identities (kind, value, contact_id, is_primary)
    select 'email', 'seed-${tag}-' || n || '@example.com', id, true from ${table};
  `);
}

export async function seedTickets(
  database: DatabaseHandle,
  options: SeedOptions,
): Promise<{ tickets: number }> {
  const batchSize = options.batchSize ?? 20_000;
  const tag = Math.random().toString(36).slice(2, 8);
  const table = `seed_contacts_${tag}`;
  const customers = Math.max(10, Math.ceil(options.tickets / 5));
  await seedCustomers(database, customers, tag, table);
  const { rows: agentRows } = await database.query(
    `select id from users where role_key in ('agent', 'team_lead') and is_active order by id`,
  );
  const agents = agentRows.map((r) => `'${String(r.id)}'::uuid`);
  const { rows: teamRows } = await database.query('select id from teams order by id');
  const teams = teamRows.map((r) => `'${String(r.id)}'::uuid`);
  const agentArray = agents.length > 0 ? `array[${agents.join(',')}]` : 'array[]::uuid[]';
  const teamArray = teams.length > 0 ? `array[${teams.join(',')}]` : 'array[]::uuid[]';

  let done = 0;
  while (done < options.tickets) {
    const size = Math.min(batchSize, options.tickets - done);
    await database.exec(`
      create temporary table if not exists seed_batch (id uuid, language text, created_at timestamptz, status text,
        channel text, assignee_id uuid, solved_at timestamptz, closed_at timestamptz, replied_at timestamptz)
        on commit preserve rows;
      truncate seed_batch;
      with picked as (
        select g,
               random() as r,
               (random() < 0.35) as english,
               now() - (random() * interval '730 days') as created,
               (1 + floor(random() * ${customers}))::int as pick,
               -- Log-uniform resolution times from a minute to two weeks (first replies below: up to two days).
               exp(random() * ln(20160)) * interval '1 minute' as resolution
          from generate_series(1, ${size}) g
      ), inserted as (
        insert into tickets (subject, status_key, status_category, priority, type, channel, language, requester_id,
                             organization_id, assignee_id, team_id, tags, message_count, created_at, updated_at,
                             solved_at, closed_at, search_vector)
        select s.subject, s.status, s.status, s.priority, s.type, s.channel, s.language, sc.id,
               (select organization_id from contacts c where c.id = sc.id),
               case when s.status = 'new' or cardinality(${agentArray}) = 0 then null
                    else (${agentArray})[1 + floor(random() * cardinality(${agentArray}))::int] end,
               case when cardinality(${teamArray}) = 0 or random() < 0.2 then null
                    else (${teamArray})[1 + floor(random() * cardinality(${teamArray}))::int] end,
               array(select t from unnest(${literal(TAGS)}) t where random() < 0.15 + 0 * p.g),
               ${options.messagesPerTicket}, p.created, p.created + random() * interval '5 days',
               case when s.status in ('solved', 'closed') then p.created + p.resolution end,
               case when s.status = 'closed' then p.created + p.resolution + interval '4 days' end,
               setweight(to_tsvector(case when s.language = 'de' then 'german'::regconfig else 'english'::regconfig end, s.subject), 'A')
                 || setweight(to_tsvector('simple', s.subject), 'A')
          from picked p
          join ${table} sc on sc.n = p.pick
          cross join lateral (
            select case when p.english then 'en' else 'de' end as language,
                   case when p.english then (${literal(SUBJECTS_EN)})[1 + floor(random() * ${SUBJECTS_EN.length})::int]
                        else (${literal(SUBJECTS_DE)})[1 + floor(random() * ${SUBJECTS_DE.length})::int] end as subject,
                   case when p.r < 0.08 then 'new' when p.r < 0.25 then 'open' when p.r < 0.33 then 'pending'
                        when p.r < 0.36 then 'on_hold' when p.r < 0.55 then 'solved' else 'closed' end as status,
                   (array['low','normal','normal','normal','high','urgent'])[1 + floor(random() * 6)::int] as priority,
                   (array['question','question','incident','problem','task','complaint'])[1 + floor(random() * 6)::int] as type,
                   (array['email','email','email','web','phone','social','review'])[1 + floor(random() * 7)::int] as channel
          ) s
        returning id, language, created_at, status_key, channel, assignee_id, solved_at, closed_at
      )
      insert into seed_batch
      select i.id, i.language, i.created_at, i.status_key, i.channel, i.assignee_id, i.solved_at, i.closed_at,
             case when i.status_key <> 'new' then i.created_at + least(
               exp(random() * ln(2880)) * interval '1 minute', coalesce(i.solved_at - i.created_at, interval '2 days'))
             end
        from inserted i;
      -- The history reporting reads: created, assigned, the first reply, the status it has now (and closed).
      insert into ticket_events (ticket_id, kind, field, from_value, to_value, actor_kind, created_at)
      select id, 'created', null::text, null::jsonb, jsonb_build_object('status', 'new', 'channel', channel), 'system',
             created_at from seed_batch
      union all
      select id, 'changed', 'assigneeId', 'null'::jsonb, to_jsonb(assignee_id::text), 'system',
             created_at + interval '1 minute' from seed_batch where assignee_id is not null
      union all
      select id, 'replied', null, null, '{}'::jsonb, 'user', replied_at from seed_batch where replied_at is not null
      union all
      select id, 'changed', 'status', '"new"'::jsonb, to_jsonb(case when status = 'closed' then 'solved' else status end),
             'user', coalesce(solved_at, replied_at) from seed_batch where status <> 'new'
      union all
      select id, 'changed', 'status', '"solved"'::jsonb, '"closed"'::jsonb, 'system', closed_at
        from seed_batch where status = 'closed';
      insert into ticket_messages (ticket_id, visibility, author_kind, author_contact_id, body_html, body_text, channel,
                                   created_at, search_vector)
      select b.id, case when m = 3 then 'internal' else 'public' end, case when m = 1 then 'contact' else 'agent' end,
             null, '<p>' || body || '</p>', body, 'email', b.created_at + (m - 1) * interval '3 hours',
             to_tsvector(case when b.language = 'de' then 'german'::regconfig else 'english'::regconfig end, body)
               || to_tsvector('simple', body)
        from seed_batch b
        cross join generate_series(1, ${options.messagesPerTicket}) m
        cross join lateral (
          select case when b.language = 'de' then (${literal(BODIES_DE)})[1 + floor(random() * ${BODIES_DE.length} + m * 0)::int]
                      else (${literal(BODIES_EN)})[1 + floor(random() * ${BODIES_EN.length} + m * 0)::int] end as body
        ) x;
    `);
    done += size;
    options.onProgress?.(done, options.tickets);
  }
  await database.exec(
    `insert into tags (name) select unnest(${literal(TAGS)}) on conflict do nothing; drop table ${table}; analyze;`,
  );
  return { tickets: done };
}
