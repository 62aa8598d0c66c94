import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Where Keepdesk's outbound mail goes during the journeys: a real SMTP server on loopback. */
export const CATCHER_PORT = 3926;
/** Keepdesk's own SMTP listener during the journeys. */
export const LISTENER_PORT = 3925;
const MAIL_DIR = path.join(tmpdir(), `keepdesk-e2e-mail-${CATCHER_PORT}`);

/** Playwright global setup: catches every message into a directory the journeys read. */
export default async function startMailCatcher(): Promise<() => Promise<void>> {
  rmSync(MAIL_DIR, { recursive: true, force: true });
  mkdirSync(MAIL_DIR, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        writeFileSync(path.join(MAIL_DIR, `${Date.now()}-${count++}.eml`), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(CATCHER_PORT, '127.0.0.1', resolve));
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The first caught message that matches, waiting for it to arrive. */
export async function caughtMail(
  match: (mail: ParsedMail) => boolean,
  timeoutMs = 20_000,
): Promise<ParsedMail> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    for (const file of readdirSync(MAIL_DIR).sort()) {
      const mail = await simpleParser(readFileSync(path.join(MAIL_DIR, file)));
      if (match(mail)) return mail;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no matching e-mail arrived within ${timeoutMs} ms`);
}
