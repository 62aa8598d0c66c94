import type {
  ComplaintRegister,
  Contact,
  IngestResult,
  Mention,
  MentionPage,
  Problem,
  ThemeDocumentPage,
  ThemeRun,
  Ticket,
  User,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, eventually, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let agent: { user: User; headers: { authorization: string } };

beforeAll(async () => {
  // A database of its own: the complaints register's summary counts only this file's complaints.
  server = await startTestServer({ isolated: true });
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

function call(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  payload?: object | string,
  contentType?: string,
) {
  return server.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...agent.headers, ...(contentType ? { 'content-type': contentType } : {}) },
    payload,
  });
}

async function ingest(body: object): Promise<IngestResult> {
  const res = await call('POST', '/channels/mentions', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<IngestResult>();
}

const mentionsOf = async (source: string) =>
  (await call('GET', `/mentions?source=${source}&limit=200`)).json<MentionPage>().items;

describe('reviews and social mentions', () => {
  it('turns a one-star review into a complaint ticket from the matching customer, once', async () => {
    const email = `kunde-${uniq()}@example.com`;
    const contact = (
      await call('POST', '/contacts', { name: 'Karla Kundin', emails: [email], language: 'de' })
    ).json<Contact>();
    const source = `shop-${uniq()}`;
    const review = {
      source,
      externalId: 'r-1',
      author: 'Karla K.',
      authorEmail: email,
      rating: 1,
      text: 'Lieferung kam beschädigt an und niemand antwortet auf meine E-Mails. Sehr enttäuschend!',
      url: 'https://shop.example/reviews/r-1',
      postedAt: '2026-11-30T09:15:00+01:00',
    };
    expect(await ingest(review)).toEqual({ imported: 1, duplicates: 0, complaints: 1, errors: [] });
    // The review site delivers it again: nothing new.
    expect(await ingest({ items: [review] })).toEqual({
      imported: 0,
      duplicates: 1,
      complaints: 0,
      errors: [],
    });

    const [mention] = await mentionsOf(source);
    expect(mention).toMatchObject({
      kind: 'review',
      rating: 1,
      language: 'de',
      sentiment: 'negative',
      status: 'triaged',
      contact: { id: contact.id },
    });
    const ticket = (await call('GET', `/tickets/${mention!.ticket!.id}`)).json<Ticket>();
    expect(ticket).toMatchObject({
      type: 'complaint',
      channel: 'review',
      priority: 'high',
      tags: ['review'],
    });
    expect(ticket.requester.id).toBe(contact.id);
    expect(ticket.subject).toContain('★☆☆☆☆');
    const complaint = await call('GET', `/tickets/${ticket.id}/complaint`);
    expect(complaint.json()).toMatchObject({ category: 'review', outcome: null, compensationKind: 'none' });
  });

  it('opens complaints for low ratings and negative posts only, and tracks replies', async () => {
    const source = `mixed-${uniq()}`;
    const result = await ingest({
      items: [
        { source, author: 'Happy Harry', rating: 5, text: 'Excellent service, very fast and friendly!' },
        { source, author: 'Mid Mia', rating: 3, text: 'It was okay.' },
        {
          source,
          kind: 'social',
          author: '@angry_andy',
          text: 'Worst support ever, still waiting for a refund. Unacceptable.',
        },
        { source, kind: 'social', author: '@fan_fay', text: 'Love the new app, thanks team!' },
      ],
    });
    expect(result).toEqual({ imported: 4, duplicates: 0, complaints: 1, errors: [] });
    const items = await mentionsOf(source);
    const angry = items.find((m) => m.author === '@angry_andy')!;
    expect(angry).toMatchObject({ sentiment: 'negative', language: 'en', status: 'triaged' });
    const ticket = (await call('GET', `/tickets/${angry.ticket!.id}`)).json<Ticket>();
    expect(ticket).toMatchObject({ type: 'complaint', channel: 'social' });
    expect(ticket.requester.name).toBe('@angry_andy');
    expect(
      items
        .filter((m) => m.ticket === null)
        .map((m) => m.author)
        .sort(),
    ).toEqual(['@fan_fay', 'Happy Harry', 'Mid Mia']);

    const harry = items.find((m) => m.author === 'Happy Harry')!;
    const replied = await call('POST', `/mentions/${harry.id}/replies`, {
      text: 'Thank you, Harry!',
      url: 'https://reviews.example/r/1#reply',
    });
    expect(replied.statusCode, replied.body).toBe(201);
    expect(replied.json<Mention>()).toMatchObject({
      status: 'replied',
      replies: [{ text: 'Thank you, Harry!', by: { id: agent.user.id } }],
    });
    const ignored = await call('PATCH', `/mentions/${items.find((m) => m.author === 'Mid Mia')!.id}`, {
      status: 'ignored',
    });
    expect(ignored.json<Mention>().status).toBe('ignored');
    const open = (await call('GET', `/mentions?source=${source}&status=new`)).json<MentionPage>().items;
    expect(open.map((m) => m.author)).toEqual(['@fan_fay']);
  });

  it('imports the good rows of a CSV and reports each bad one by its line', async () => {
    const source = `csv-${uniq()}`;
    const csv = [
      'source,author,rating,text,url,date,language',
      `${source},Anna,5,"Schnell, freundlich und kompetent",https://r.example/1,2026-11-01,de`,
      `${source},Ben,7,"Out of range",https://r.example/2,2026-11-02,en`,
      `${source},,4,"No author",https://r.example/3,2026-11-03,en`,
      `${source},Cleo,2,"Sehr langsam, ""Support"" antwortet nicht",https://r.example/4,2026-11-04,de`,
      `${source},Dan,3,"missing fields"`,
      `${source},Eve,4,"Fine",not a url,2026-11-05,en`,
      `${source},Finn,4,"Good","https://r.example/6",yesterday,en`,
      `${source},Gil,5,"Multi`,
      `line ""review""",https://r.example/7,2026-11-07,en`,
    ].join('\n');
    const res = await call('POST', '/mentions/import', csv, 'text/csv');
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<IngestResult>();
    expect(result).toMatchObject({ imported: 3, duplicates: 0, complaints: 1 });
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 6, 7, 8]);
    expect(result.errors[0]!.message).toMatch(/^rating: /);
    expect(result.errors[1]!.message).toMatch(/^author: /);
    expect(result.errors[2]!.message).toBe('expected 7 fields as in the header, found 4');
    expect(result.errors[3]!.message).toMatch(/^url: /);
    expect(result.errors[4]!.message).toMatch(/^date: /);
    const imported = await mentionsOf(source);
    expect(imported.map((m) => m.author).sort()).toEqual(['Anna', 'Cleo', 'Gil']);
    expect(imported.find((m) => m.author === 'Gil')!.text).toBe('Multi\nline "review"');
    expect(imported.find((m) => m.author === 'Cleo')!.ticket).not.toBeNull();

    const noColumns = await call('POST', '/mentions/import', 'name,stars\nx,1\n', 'text/csv');
    expect(noColumns.json<IngestResult>().errors).toEqual([
      { line: 1, message: 'missing columns: source, author, text' },
    ]);
  });

  it('opens the complaint on a second delivery when the first could not open it', async () => {
    const source = `retry-${uniq()}`;
    // As left behind by a delivery whose complaint ticket failed: the review is known, no ticket.
    await server.deps.database.query(
      `insert into mentions (source, kind, external_id, author, rating, text, posted_at, sentiment, sentiment_score)
       values ($1, 'review', 'r-9', 'Rita', 1, 'Kaputt', now(), 'negative', -0.5)`,
      [source],
    );
    const again = await ingest({ source, externalId: 'r-9', author: 'Rita', rating: 1, text: 'Kaputt' });
    expect(again).toEqual({ imported: 0, duplicates: 1, complaints: 1, errors: [] });
    const [mention] = await mentionsOf(source);
    expect(mention!.ticket).not.toBeNull();
    expect(
      (await ingest({ source, externalId: 'r-9', author: 'Rita', rating: 1, text: 'Kaputt' })).complaints,
    ).toBe(0);
  });

  it('refuses a webhook body without an author, naming the field', async () => {
    const res = await call('POST', '/channels/mentions', { source: 'x', text: 'hi', rating: 2 });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors, res.body).toContainEqual(
      expect.objectContaining({ field: expect.stringContaining('author') }),
    );
  });
});

describe('complaints register', () => {
  it('keeps category, root cause, resolution, compensation and outcome, with time to resolution', async () => {
    const created = await call('POST', '/tickets', {
      subject: `Falsche Rechnung ${uniq()}`,
      requester: { email: `beschwerde-${uniq()}@example.com` },
      message: { body: 'Ich beschwere mich über die doppelte Abbuchung.' },
      type: 'complaint',
      channel: 'email',
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = created.json<Ticket>();
    const entry = await call('PUT', `/tickets/${ticket.id}/complaint`, {
      category: 'Abrechnung',
      rootCause: 'Zahlungsanbieter hat doppelt abgebucht',
      resolution: 'Betrag erstattet, Anbieter informiert',
      compensationKind: 'voucher',
      compensationValue: 20,
      currency: 'EUR',
      outcome: 'upheld',
    });
    expect(entry.statusCode, entry.body).toBe(200);
    await call('PATCH', `/tickets/${ticket.id}`, { status: 'solved' });

    const register = (await call('GET', '/complaints?category=Abrechnung')).json<ComplaintRegister>();
    expect(register.items).toHaveLength(1);
    expect(register.items[0]).toMatchObject({
      ticketId: ticket.id,
      category: 'Abrechnung',
      compensationKind: 'voucher',
      compensationValue: 20,
      outcome: 'upheld',
      statusCategory: 'solved',
    });
    expect(register.items[0]!.hoursToResolution).toBeGreaterThanOrEqual(0);
    expect(register.summary).toMatchObject({
      total: 1,
      open: 0,
      byCategory: [{ category: 'Abrechnung', count: 1 }],
      byOutcome: [{ outcome: 'upheld', count: 1 }],
      compensation: [{ currency: 'EUR', total: 20 }],
    });
    const all = (await call('GET', '/complaints')).json<ComplaintRegister>();
    expect(all.summary.total).toBeGreaterThanOrEqual(4);
    expect(all.summary.open).toBe(all.summary.total - 1);

    const question = (
      await call('POST', '/tickets', {
        subject: 'Frage',
        requester: { email: `q-${uniq()}@example.com` },
        message: { body: 'Hallo' },
      })
    ).json<Ticket>();
    const refused = await call('PUT', `/tickets/${question.id}/complaint`, { category: 'x' });
    expect(refused.statusCode).toBe(409);
    const badCurrency = await call('PUT', `/tickets/${ticket.id}/complaint`, { currency: 'euro' });
    expect(badCurrency.statusCode).toBe(400);
    expect(badCurrency.json<Problem>().errors?.[0]?.field).toBe('currency');
  });
});

describe('themes', () => {
  it('groups what customers wrote into themes with a weekly trend and a drill-down to the texts', async () => {
    const source = `themes-${uniq()}`;
    const subjects = [
      [
        'Die Rechnung wurde doppelt abgebucht',
        'Rechnung doppelt bezahlt, bitte erstatten',
        'Falscher Betrag auf der Rechnung',
      ],
      ['The parcel arrived damaged', 'Parcel delivery was late again', 'My parcel never arrived'],
      [
        'Password reset link does not work',
        'Cannot login after the password reset',
        'Login fails since the password change',
      ],
    ];
    const items = subjects.flatMap((texts, s) =>
      Array.from({ length: 12 }, (_, i) => ({
        source,
        externalId: `${s}-${i}`,
        author: `Kunde ${s}-${i}`,
        rating: 3,
        text: texts[i % texts.length]!,
        // Two weeks apart: 2026-11-09 (a Monday) and 2026-11-23.
        postedAt: i % 2 === 0 ? '2026-11-10T10:00:00Z' : '2026-11-24T10:00:00Z',
      })),
    );
    expect((await ingest({ items })).imported).toBe(36);

    const started = await call('POST', '/feedback/themes/runs', { from: '2026-11-01', to: '2026-11-30' });
    expect(started.statusCode, started.body).toBe(202);
    const run = await eventually(
      async () =>
        (await call('GET', `/feedback/themes/runs/${started.json<ThemeRun>().id}`)).json<ThemeRun>(),
      (r) => r.status !== 'running',
    );
    expect(run.status).toBe('done');
    expect(run.documents).toBeGreaterThanOrEqual(36);
    const invoice = run.themes.find((t) => t.keywords.includes('rechnung'));
    const parcel = run.themes.find((t) => t.keywords.includes('parcel'));
    const login = run.themes.find((t) => t.keywords.some((k) => k.includes('password')));
    expect(invoice?.size).toBe(12);
    expect(parcel?.size).toBe(12);
    expect(login?.size).toBe(12);
    expect(invoice!.weekly).toEqual([
      { week: '2026-11-09', count: 6 },
      { week: '2026-11-23', count: 6 },
    ]);
    expect(parcel!.negative).toBeGreaterThan(0.5);

    const texts = (
      await call('GET', `/feedback/themes/runs/${run.id}/themes/${invoice!.index}/texts?limit=5`)
    ).json<ThemeDocumentPage>();
    expect(texts.items).toHaveLength(5);
    expect(texts.items.every((t) => t.source === 'mention' && /Rechnung/.test(t.excerpt))).toBe(true);
    expect(texts.nextCursor).not.toBeNull();
    const latest = (await call('GET', '/feedback/themes/latest')).json<ThemeRun>();
    expect(latest.id).toBe(run.id);
    const backwards = await call('POST', '/feedback/themes/runs', { from: '2026-12-01', to: '2026-11-01' });
    expect(backwards.statusCode).toBe(400);
  });
});
