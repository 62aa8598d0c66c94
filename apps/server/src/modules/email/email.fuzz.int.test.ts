import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, uniq } from '../../../test/harness';
import { ingestEmail } from './email.service';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const HEADERS = [
  'From: Anna <anna@example.com>',
  'From: =?iso-8859-1?q?J=FCrgen?= <j@example.de>',
  'From:',
  'Subject: =?utf-8?b?w5xiZXJ3ZWlzdW5n?=',
  'Subject: =?broken?x?zz?=',
  'Content-Type: multipart/mixed; boundary="b"',
  'Content-Type: text/plain; charset=windows-1252',
  'Content-Type: text/html; charset=unknown-charset',
  'Content-Transfer-Encoding: base64',
  'Content-Transfer-Encoding: quoted-printable',
  'References: <a@b> <broken',
  'In-Reply-To: <>',
  `X-Long: ${'x'.repeat(5000)}`,
];
const BODY_LINES = [
  '--b',
  '--b--',
  'Content-Type: text/plain',
  '',
  'Hallo =E4=F6',
  '!!!not-base64###',
  '<p>Hi</p>',
  '\u00ff\u00fe',
];

/** Messages assembled from real header and body fragments, shuffled and cut: most of them broken. */
const messageArb = fc
  .record({
    headers: fc.array(fc.constantFrom(...HEADERS), { maxLength: 8 }),
    body: fc.array(fc.constantFrom(...BODY_LINES), { maxLength: 10 }),
    noise: fc.uint8Array({ maxLength: 64 }),
    cut: fc.nat({ max: 400 }),
  })
  .map(({ headers, body, noise, cut }) => {
    const text = `${headers.join('\r\n')}\r\nMessage-ID: <${uniq()}@fuzz>\r\n\r\n${body.join('\r\n')}`;
    const bytes = Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from(noise)]);
    return cut > 0 && cut < bytes.length ? bytes.subarray(0, bytes.length - cut) : bytes;
  });

describe('ingesting arbitrary, mostly broken messages', () => {
  it('never throws and never drops one: each is recorded with its raw bytes and an outcome', async () => {
    await fc.assert(
      fc.asyncProperty(messageArb, async (raw) => {
        const result = await ingestEmail(server.deps, raw);
        expect(['ticket', 'reply', 'quarantined']).toContain(result.outcome);
        const { rows } = await server.deps.database.query(
          'select storage_key from inbound_emails where id = $1',
          [result.id],
        );
        const stored = await server.deps.storage.get(String(rows[0]?.storage_key));
        expect(stored.equals(raw)).toBe(true);
        if (result.outcome !== 'quarantined') expect(result.ticketId).not.toBeNull();
      }),
      { numRuns: 40, seed: 11 },
    );
  }, 120_000);
});
