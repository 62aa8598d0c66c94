import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Deps } from '../../platform/context';
import { ingestEmail } from './email.service';
import { mailboxFor } from './mailboxes.service';

export interface SmtpListener {
  port: number;
  /** Stops accepting connections and waits for the conversations under way. */
  close(): Promise<void>;
}

/** An SMTP reply: smtp-server sends `responseCode` and the message to the client. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Reads the message; beyond the size limit it keeps counting but stops keeping bytes. */
function collect(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    stream.on('end', () => resolve(stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * The built-in SMTP listener (`keepdesk start --smtp-port N`): mail for the configured mailbox addresses
 * only, up to `KEEPDESK_SMTP_MAX_BYTES`, STARTTLS when a key and certificate are configured. The 250 goes out
 * only after the raw message and what it became are committed; until then a failure answers 451, so the
 * sending server keeps the message and tries again (docs/adr/0018).
 */
export async function startSmtpListener(
  deps: Deps,
  options: { port: number; host: string },
): Promise<SmtpListener> {
  const { config, log } = deps;
  const tls = config.smtpTlsKey && config.smtpTlsCert;
  const server = new SMTPServer({
    name: new URL(config.baseUrl).hostname,
    banner: 'Keepdesk',
    size: config.smtpMaxBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ? { key: readFileSync(config.smtpTlsKey!), cert: readFileSync(config.smtpTlsCert!) } : {}),
    logger: false,
    onRcptTo(address, _session, callback) {
      const recipient = address.address.trim().toLowerCase();
      mailboxFor(deps.database.db, [recipient]).then(
        (mailbox) =>
          callback(mailbox ? undefined : smtpError(550, `5.1.1 <${recipient}>: no such mailbox here`)),
        (err: Error) => {
          log.error({ err }, 'smtp: mailbox lookup failed');
          callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      collect(stream, config.smtpMaxBytes)
        .then(async (raw) => {
          if (!raw) {
            callback(smtpError(552, `5.3.4 message exceeds the size limit of ${config.smtpMaxBytes} bytes`));
            return;
          }
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address.trim().toLowerCase());
          const result = await ingestEmail(deps, raw, { envelopeTo });
          log.debug({ inbound: result.id, outcome: result.outcome }, 'smtp: message taken in');
          callback();
        })
        .catch((err: Error) => {
          log.error({ err }, 'smtp: message not taken in; the sender will retry');
          callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'smtp: connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
