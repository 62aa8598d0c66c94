import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import pg from 'pg';
import type { KeepdeskUnderTest } from './keepdesk';
import { type BenchResult, progress, round } from './lib';

const MAILBOX = 'bench-support@keepdesk.example';
const INGEST = { messages: 2000, replyShare: 0.3, connections: 8, warmUp: 20 };
const THREADS = 150;

/** A small deterministic generator, so every run sends the same corpus. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const SUBJECTS = [
  'Rechnung doppelt abgebucht',
  'Passwort vergessen',
  'Lieferung nicht angekommen',
  'Kündigung meines Vertrags',
  'Invoice shows the wrong address',
  'Cannot log in since the update',
  'Export to Excel fails',
  'Frage zu meinem Tarif',
];
const BODIES = [
  'Guten Tag,\n\nseit gestern funktioniert die Anmeldung nicht mehr. Ich bekomme nur eine Fehlermeldung.\nKönnen Sie mir bitte helfen?\n\nMit freundlichen Grüßen',
  'Hello,\n\nthe invoice for October was charged twice to my credit card. Please refund the second charge.\n\nBest regards',
  'Hallo,\n\nmein Paket mit der Sendungsnummer 00340434161094042557 ist seit einer Woche unterwegs.\nWo ist es?\n\nViele Grüße',
  'Hi,\n\nexporting the monthly report to Excel stops at 80 % and nothing happens afterwards.\nI attached a screenshot.\n\nThanks',
];

/** A sender's message as a mail program writes it: text and HTML, sometimes a PDF, a reply quotes its parent. */
function rfc822(options: {
  from: string;
  subject: string;
  messageId: string;
  body: string;
  inReplyTo?: string;
  references?: string;
  attachment?: Buffer;
}): string {
  const boundary = `b-${randomBytes(6).toString('hex')}`;
  const alt = `a-${randomBytes(6).toString('hex')}`;
  const html = `<div>${options.body
    .split('\n')
    .map((line) => `<p>${line.replace(/</g, '&lt;')}</p>`)
    .join('')}</div>`;
  const lines = [
    `From: Kunde <${options.from}>`,
    `To: Support <${MAILBOX}>`,
    `Subject: ${options.subject}`,
    `Message-ID: <${options.messageId}>`,
    'Date: Wed, 02 Dec 2026 10:00:00 +0100',
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`] : []),
    ...(options.references ? [`References: ${options.references}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    '',
    `--${alt}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    options.body,
    `--${alt}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    html,
    `--${alt}--`,
  ];
  if (options.attachment) {
    lines.push(
      `--${boundary}`,
      'Content-Type: application/pdf; name="Rechnung.pdf"',
      'Content-Disposition: attachment; filename="Rechnung.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      ...(options.attachment.toString('base64').match(/.{1,76}/g) ?? []),
    );
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

async function addMailbox(k: KeepdeskUnderTest): Promise<void> {
  const db = new pg.Client({ connectionString: k.databaseUrl });
  await db.connect();
  try {
    await db.query(
      `insert into mailboxes (address, sender_name, ack_subject_en, ack_body_en, ack_subject_de, ack_body_de)
       values ($1, 'Bench Support', 'We received your request [#{{number}}]', 'Number #{{number}}',
               'Wir haben Ihre Anfrage erhalten [#{{number}}]', 'Nummer #{{number}}')
       on conflict (address) do nothing`,
      [MAILBOX],
    );
  } finally {
    await db.end();
  }
}

function transport(k: KeepdeskUnderTest) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: k.smtpPort,
    ignoreTLS: true,
    pool: true,
    maxConnections: 1,
    maxMessages: Number.POSITIVE_INFINITY,
  });
}

async function send(client: ReturnType<typeof transport>, raw: string): Promise<void> {
  const info = await client.sendMail({ envelope: { from: 'mta@example.com', to: [MAILBOX] }, raw });
  if (!/^250/.test(info.response)) throw new Error(`not accepted: ${info.response}`);
}

/**
 * `email.ingest`: messages/s through the SMTP listener into tickets (2,000 realistic messages, 40 % with a PDF,
 * 30 % replies to earlier ones, 8 SMTP connections); reference: the same messages parsed by mailparser alone.
 */
export async function emailIngest(k: KeepdeskUnderTest): Promise<BenchResult> {
  await addMailbox(k);
  const random = prng(7);
  const run = randomBytes(4).toString('hex');
  const pdf = randomBytes(24 * 1024);
  const ids: string[] = [];
  const corpus: string[] = [];
  for (let i = 0; i < INGEST.messages + INGEST.warmUp; i++) {
    const id = `ingest-${run}-${i}@client.example`;
    // A reply refers to a message sent at least 50 earlier, which is in by then.
    const isReply = i >= 100 && random.next() < INGEST.replyShare;
    const parentIndex = isReply ? Math.floor(random.next() * (i - 50)) : i;
    const parent = isReply ? ids[parentIndex] : undefined;
    const subject = random.pick(SUBJECTS);
    corpus.push(
      rfc822({
        from: `kunde-${parentIndex}-${run}@example.com`,
        subject: isReply ? `AW: ${subject}` : `${subject} (${run} ${i})`,
        messageId: id,
        body: isReply
          ? `Danke, aber das Problem besteht weiterhin.\n\nAm 01.12.2026 schrieb Support:\n> ${random.pick(BODIES).replace(/\n/g, '\n> ')}`
          : random.pick(BODIES),
        ...(parent ? { inReplyTo: `<${parent}>`, references: `<${parent}>` } : {}),
        ...(random.next() < 0.4 ? { attachment: pdf } : {}),
      }),
    );
    ids.push(id);
  }
  const warmUp = corpus.slice(0, INGEST.warmUp);
  const measured = corpus.slice(INGEST.warmUp);

  progress(`email.ingest: mailparser alone on ${measured.length} messages`);
  const parseStart = performance.now();
  for (const raw of measured) await simpleParser(raw);
  const reference = measured.length / ((performance.now() - parseStart) / 1000);

  const clients = Array.from({ length: INGEST.connections }, () => transport(k));
  try {
    for (const raw of warmUp) await send(clients[0]!, raw);
    progress(`email.ingest: ${measured.length} messages over ${INGEST.connections} SMTP connections`);
    let next = 0;
    const start = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        while (next < measured.length) await send(client, measured[next++]!);
      }),
    );
    const value = measured.length / ((performance.now() - start) / 1000);
    return {
      id: 'email.ingest',
      value: round(value, 1),
      unit: 'messages/s',
      reference: { name: 'mailparser alone, same messages', value: round(reference, 1) },
      ratio: round(value / reference, 3),
    };
  } finally {
    for (const client of clients) client.close();
  }
}

type ReplyKind =
  | 'in-reply-to'
  | 'references-only'
  | 'our-message-id'
  | 'broken-references-number'
  | 'number-only'
  | 'reply-token-only'
  | 'stranger-with-number';

interface Thread {
  from: string;
  subject: string;
  messageId: string;
  ticketId: string;
  number: number;
  ackId: string;
}

/** The subject a naive threader compares: without reply prefixes and ticket numbers. */
function bareSubject(subject: string): string {
  let text = subject.replace(/\[#\d+\]/g, ' ');
  for (;;) {
    const next = text.replace(/^\s*(re|aw|fw|fwd|wg)\s*:\s*/i, '');
    if (next === text) break;
    text = next;
  }
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * `email.threading.accuracy`: share of replies that land on the right ticket, in a corpus with known threads:
 * replies by In-Reply-To, by References only, to our own Message-ID, with broken References but `[#n]`, with
 * only `[#n]`, with only a reply token, and strangers quoting someone else's `[#n]` (right: a new ticket).
 * Reference: a subject-only threader (what many helpdesks fall back to) on the same corpus.
 */
export async function emailThreading(k: KeepdeskUnderTest): Promise<BenchResult> {
  await addMailbox(k);
  const db = new pg.Client({ connectionString: k.databaseUrl });
  await db.connect();
  const client = transport(k);
  const random = prng(11);
  const run = randomBytes(4).toString('hex');
  try {
    progress(`email.threading.accuracy: ${THREADS} threads opened by mail`);
    const threads: Thread[] = [];
    for (let i = 0; i < THREADS; i++) {
      const messageId = `thread-${run}-${i}@client.example`;
      const subject = random.pick(SUBJECTS);
      const from = `thread-${i}-${run}@example.com`;
      await send(client, rfc822({ from, subject, messageId, body: random.pick(BODIES) }));
      threads.push({ from, subject, messageId, ticketId: '', number: 0, ackId: '' });
    }
    for (const thread of threads) {
      const { rows } = await db.query(
        `select t.id, t.number from inbound_emails i join tickets t on t.id = i.ticket_id
          where i.message_id_header = $1`,
        [thread.messageId],
      );
      thread.ticketId = String(rows[0]!.id);
      thread.number = Number(rows[0]!.number);
    }
    // Our acknowledgements leave with Message-IDs that carry the reply token.
    for (let attempt = 0; attempt < 300; attempt++) {
      const { rows } = await db.query(
        `select ticket_id, message_id_header from outbound_emails
          where kind = 'acknowledgement' and ticket_id = any($1::uuid[])`,
        [threads.map((t) => t.ticketId)],
      );
      for (const row of rows) {
        const thread = threads.find((t) => t.ticketId === row.ticket_id);
        if (thread) thread.ackId = String(row.message_id_header);
      }
      if (threads.every((t) => t.ackId)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const kinds: ReplyKind[] = [
      'in-reply-to',
      'references-only',
      'our-message-id',
      'broken-references-number',
      'number-only',
      'reply-token-only',
      'stranger-with-number',
    ];
    const cases: { kind: ReplyKind; thread: Thread; messageId: string; from: string; subject: string }[] = [];
    progress('email.threading.accuracy: replies of seven kinds');
    let n = 0;
    for (const thread of threads) {
      for (const kind of kinds.filter(() => random.next() < 0.5)) {
        const messageId = `reply-${run}-${n++}@client.example`;
        const stranger = kind === 'stranger-with-number';
        const from = stranger ? `stranger-${n}-${run}@example.com` : thread.from;
        const token = thread.ackId.slice(thread.ackId.indexOf('.kd') + 1);
        const headers: Record<ReplyKind, { subject: string; inReplyTo?: string; references?: string }> = {
          'in-reply-to': { subject: `AW: ${thread.subject}`, inReplyTo: `<${thread.messageId}>` },
          'references-only': {
            subject: `Re: ${thread.subject}`,
            references: `<unknown-${n}@elsewhere.example> <${thread.messageId}>`,
          },
          'our-message-id': {
            subject: `AW: [#${thread.number}] ${thread.subject}`,
            inReplyTo: `<${thread.ackId}>`,
            references: `<${thread.messageId}> <${thread.ackId}>`,
          },
          'broken-references-number': {
            subject: `Re: [#${thread.number}] ${thread.subject}`,
            references: '<broken-reference-without-end',
          },
          'number-only': { subject: `AW: [#${thread.number}] ${thread.subject}` },
          'reply-token-only': { subject: `Re: ${thread.subject}`, inReplyTo: `<lost${n}.${token}>` },
          'stranger-with-number': { subject: `Re: [#${thread.number}] ${thread.subject}` },
        };
        const h = headers[kind];
        await send(client, rfc822({ from, messageId, body: 'Danke für Ihre Antwort.', ...h }));
        cases.push({ kind, thread, messageId, from, subject: h.subject });
      }
    }

    let right = 0;
    let naiveRight = 0;
    const wrong: string[] = [];
    for (const item of cases) {
      const { rows } = await db.query('select ticket_id from inbound_emails where message_id_header = $1', [
        item.messageId,
      ]);
      const landed = String(rows[0]?.ticket_id ?? '');
      const expectNew = item.kind === 'stranger-with-number';
      const ok = expectNew
        ? landed !== '' && landed !== item.thread.ticketId
        : landed === item.thread.ticketId;
      if (ok) right++;
      else wrong.push(item.kind);
      // The naive threader joins the first earlier thread with the same bare subject, whoever wrote.
      const naive = threads.find((t) => bareSubject(t.subject) === bareSubject(item.subject));
      const naiveOk = expectNew ? naive === undefined : naive === item.thread;
      if (naiveOk) naiveRight++;
    }
    if (wrong.length > 0) progress(`email.threading.accuracy: wrong for ${wrong.join(', ')}`);
    const value = (100 * right) / cases.length;
    const reference = (100 * naiveRight) / cases.length;
    progress(`email.threading.accuracy: ${right} of ${cases.length} replies right`);
    return {
      id: 'email.threading.accuracy',
      value: round(value, 2),
      unit: '% of replies',
      reference: { name: 'subject-only threading, same corpus', value: round(reference, 2) },
      ratio: round(value / reference, 3),
    };
  } finally {
    client.close();
    await db.end();
  }
}
