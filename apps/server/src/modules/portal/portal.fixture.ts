import type { CreatedTicket, Organization } from '@keepdesk/contract';
import { expect } from 'vitest';
import { type TestServer, uniq } from '../../../test/harness';
import { issueLink } from './links.service';

export type Headers = Record<string, string>;

/** A multipart/form-data body built by hand, as a browser sends it. */
export function multipartBody(
  fields: Record<string, string>,
  files: { name: string; type: string; data: Buffer }[],
) {
  const boundary = `----keepdesk${uniq()}`;
  const parts = [
    ...Object.entries(fields).map(([name, value]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    ),
    ...files.flatMap((file) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    ]),
  ];
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function makeOrganization(server: TestServer, agent: Headers, sharing: boolean) {
  const domain = `org-${uniq()}.example.com`;
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/organizations',
    headers: agent,
    payload: { name: `Org ${uniq()}`, domains: [domain], portalSharesTickets: sharing },
  });
  expect(res.statusCode).toBe(201);
  return { ...res.json<Organization>(), domain };
}

export async function makeTicket(server: TestServer, agent: Headers, email: string): Promise<CreatedTicket> {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: agent,
    payload: {
      subject: `Portal ${uniq()}`,
      requester: { email },
      message: { body: 'My printer is on fire' },
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json<CreatedTicket>();
}

/** Signs a contact in to the portal through a real link; the cookie and CSRF header of its session. */
export async function portalSignIn(server: TestServer, contactId: string): Promise<Headers> {
  const token = await issueLink(server.deps, contactId);
  const res = await server.app.inject({
    method: 'GET',
    url: `/portal/auth?token=${encodeURIComponent(token)}`,
  });
  expect(res.statusCode).toBe(303);
  const cookie = res.cookies.find((c) => c.name === 'kd_portal');
  expect(cookie?.httpOnly).toBe(true);
  const me = await server.app.inject({
    method: 'GET',
    url: '/api/v1/portal/me',
    headers: { cookie: `kd_portal=${cookie!.value}` },
  });
  expect(me.statusCode).toBe(200);
  return { cookie: `kd_portal=${cookie!.value}`, 'x-csrf-token': me.json<{ csrfToken: string }>().csrfToken };
}
