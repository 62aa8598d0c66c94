import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessageList, Ticket, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { ingestEmail } from './email.service';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/email');

let server: TestServer;
let agent: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer();
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

const get = <T>(url: string) =>
  server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: agent.headers }).then((r) => r.json<T>());

/**
 * The corpus file with fresh Message-IDs (the corpus is taken in by both test databases and may run twice):
 * the ids are the only bytes changed.
 */
function fixture(name: string): Buffer {
  const raw = readFileSync(path.join(CORPUS, name)).toString('latin1');
  const run = uniq();
  return Buffer.from(raw.replace(/^(Message-I[Dd]: <)/m, `$1${run}.`), 'latin1');
}

async function taken(name: string) {
  const result = await ingestEmail(server.deps, fixture(name));
  const ticket = result.ticketId ? await get<Ticket>(`/tickets/${result.ticketId}`) : null;
  const messages = result.ticketId
    ? (await get<MessageList>(`/tickets/${result.ticketId}/messages`)).items
    : [];
  const message = messages.find((m) => m.id === result.ticketMessageId);
  return { result, ticket, message };
}

describe('a corpus of real-world mail', () => {
  it('Outlook: windows-1252 quoted-printable, the euro sign, encoded subject and sender', async () => {
    const { result, ticket, message } = await taken('outlook-windows-1252.eml');
    expect(result.outcome).toBe('ticket');
    expect(ticket!.subject).toBe('Rechnung über 49,90 € doppelt abgebucht');
    expect(ticket!.requester.name).toBe('Jürgen Weiß');
    expect(ticket!.language).toBe('de');
    expect(message!.bodyText).toContain('49,90 €');
    expect(message!.originalUrl).toBe(`/api/v1/channels/email/inbound/${result.id}/raw`);
  });

  it('Gmail: base64 UTF-8 with an emoji and a gmail_quote', async () => {
    const { ticket, message } = await taken('gmail-reply-base64.eml');
    expect(ticket!.subject).toBe('Export to Excel fails');
    expect(message!.bodyText).toContain('thanks, the export works again. 👍');
    expect(message!.bodyHtml).toContain('<blockquote>');
  });

  it('Apple Mail: an inline image with an RFC 2231 name shows in the body', async () => {
    const { ticket, message } = await taken('apple-mail-inline-image.eml');
    expect(ticket!.requester.name).toBe('Renée Müller');
    const image = message!.attachments[0]!;
    expect(image.fileName).toBe('Bildschirmfoto 2026-12-01 um 12.30.png');
    expect(image.contentType).toBe('image/png');
    expect(message!.bodyHtml).toContain(`src="${image.url}"`);
    expect(message!.bodyText).toContain('Grüße');
  });

  it('Thunderbird: 8-bit ISO-8859-1 body and a signature', async () => {
    const { ticket, message } = await taken('thunderbird-iso-8859-1.eml');
    expect(ticket!.subject).toBe('Kündigung zum Jahresende');
    expect(message!.bodyText).toContain('Grüß Gott');
    expect(message!.bodyText).toContain('Maßgasse 5');
  });

  it('encoded words in two charsets, folded across lines', async () => {
    const { ticket } = await taken('encoded-words.eml');
    expect(ticket!.subject).toBe('Überweisung für März fehlt – dringend');
    expect(ticket!.requester.name).toBe('Jürgen Bäcker');
  });

  it('iPhone: a PDF sent as octet-stream with a continued RFC 2231 name', async () => {
    const { message } = await taken('iphone-pdf-attachment.eml');
    expect(message!.attachments).toEqual([
      expect.objectContaining({
        fileName: 'Vertrag unterschrieben – Kopie.pdf',
        contentType: 'application/pdf',
      }),
    ]);
  });

  it('a vacation notice opens a ticket but is marked as machine mail', async () => {
    const { result } = await taken('vacation-autoreply.eml');
    const { rows } = await server.deps.database.query('select automatic from inbound_emails where id = $1', [
      result.id,
    ]);
    expect(rows[0]!.automatic).toBe('Auto-Submitted: auto-replied');
  });

  it('broken MIME and mail without MIME headers become tickets with what could be read', async () => {
    const broken = await taken('broken-mime.eml');
    expect(broken.result.outcome).toBe('ticket');
    expect(broken.message!.bodyText).toContain('Der sichtbare Teil ist lesbar.');
    const plain = await taken('no-mime-8bit.eml');
    expect(plain.message!.bodyText).toContain('Grüße, Anna – danke!');
  });
});
