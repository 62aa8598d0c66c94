import type { Problem } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, signIn, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';

let smtp: SmtpSink;
let server: TestServer;
beforeAll(async () => {
  smtp = await startSmtpSink();
  // A database of its own: the e-mail job must run in this server, which talks to this SMTP sink.
  server = await startTestServer({ isolated: true, config: { mailTransport: 'smtp', smtpUrl: smtp.url } });
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const tokenIn = (text: string | undefined) => /reset-password\?token=([\w%-]+)/.exec(text ?? '')?.[1];

describe('password reset by e-mail', () => {
  it('mails a single-use link in the user language that sets a new password and ends old sessions', async () => {
    const user = await makeUser(server, { language: 'de' });
    const oldSession = await signIn(server, user);
    const asked = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: user.email },
    });
    expect(asked.statusCode).toBe(202);

    const mail = await smtp.waitFor((m) => m.to !== undefined && JSON.stringify(m.to).includes(user.email));
    expect(mail.subject).toBe('Ihr Keepdesk-Passwort zurücksetzen');
    const token = decodeURIComponent(tokenIn(mail.text) ?? '');
    expect(token).toMatch(/^kdr_/);

    const newPassword = 'a brand new passphrase';
    const confirm = (password: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset/confirm',
        payload: { token, password },
      });
    expect((await confirm(newPassword)).statusCode).toBe(204);

    const reused = await confirm('yet another passphrase');
    expect(reused.statusCode).toBe(400);
    expect(reused.json<Problem>().code).toBe('RESET_TOKEN_INVALID');

    const login = (password: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password },
      });
    expect((await login(TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(newPassword)).statusCode).toBe(200);
    const me = await server.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: oldSession.headers.cookie },
    });
    expect(me.statusCode).toBe(401);
  });

  it('answers an unknown address exactly like a known one and sends nothing', async () => {
    const before = smtp.messages.length;
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: 'nobody@test.keepdesk.test' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('');
    await server.deps.outbox.kick();
    expect(smtp.messages.length).toBe(before);
  });

  it('e-mails an invitation link to a user created without a password', async () => {
    const email = `invited-${Date.now()}@test.keepdesk.test`;
    const admin = await signIn(server, await makeUser(server, { role: 'admin' }));
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { email, name: 'Ivy Invited', role: 'agent' },
    });
    expect(created.statusCode).toBe(201);
    const mail = await smtp.waitFor((m) => JSON.stringify(m.to).includes(email));
    expect(mail.subject).toBe('You have been invited to Keepdesk');
    expect(tokenIn(mail.text)).toBeTruthy();
  });

  it('rejects a made-up token', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token: 'kdr_thisisnotarealtokenbutlongenough0123456789', password: 'whatever long enough' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]?.field).toBe('token');
  });
});
