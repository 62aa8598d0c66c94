import type { AttachmentList, CreatedTicket, Message, MessageList, Problem, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let agent: { user: User; headers: { authorization: string } };
let colleague: { user: User; headers: { authorization: string } };
const LIMIT = 64 * 1024;
beforeAll(async () => {
  server = await startTestServer({ config: { attachmentMaxBytes: LIMIT } });
  agent = await bearerFor(server, 'agent');
  colleague = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A multipart/form-data body built by hand, as a browser sends it. */
function multipartBody(files: { name: string; type: string; data: Buffer }[]) {
  const boundary = `----keepdesk${uniq()}`;
  const parts = files.flatMap((file) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from('\r\n'),
  ]);
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function newTicket(): Promise<CreatedTicket> {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: agent.headers,
    payload: {
      subject: `Files ${uniq()}`,
      requester: { email: `files-${uniq()}@example.com` },
      message: { body: 'Hi' },
    },
  });
  return res.json<CreatedTicket>();
}

function upload(ticketId: string, files: { name: string; type: string; data: Buffer }[], who = agent) {
  const body = multipartBody(files);
  return server.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticketId}/attachments`,
    headers: { ...who.headers, ...body.headers },
    payload: body.payload,
  });
}

describe('attachments', () => {
  it('are uploaded, sent with a reply and downloaded with their sniffed type and nosniff', async () => {
    const ticket = await newTicket();
    const res = await upload(ticket.id, [
      { name: 'screenshot.txt', type: 'text/plain', data: PNG },
      { name: '../../Bestätigung.html', type: 'text/html', data: Buffer.from('<script>alert(1)</script>') },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const [image, page] = res.json<AttachmentList>().items;
    expect(image).toMatchObject({ fileName: 'screenshot.txt', contentType: 'image/png', size: PNG.length });
    expect(page).toMatchObject({ fileName: 'Bestätigung.html', contentType: 'application/octet-stream' });

    const sent = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers: agent.headers,
      payload: { body: '', attachmentIds: [image!.id, page!.id] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json<Message>().attachments.map((a) => a.fileName)).toEqual([
      'Bestätigung.html',
      'screenshot.txt',
    ]);
    const listed = (
      await server.app.inject({
        method: 'GET',
        url: `/api/v1/tickets/${ticket.id}/messages`,
        headers: colleague.headers,
      })
    ).json<MessageList>();
    expect(listed.items.at(-1)?.attachments).toHaveLength(2);

    const download = await server.app.inject({ method: 'GET', url: page!.url, headers: colleague.headers });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="Best_tigung.html"; filename*=UTF-8''Best%C3%A4tigung.html`,
    );
    expect(download.body).toBe('<script>alert(1)</script>');
    const inlinePage = await server.app.inject({
      method: 'GET',
      url: `${page!.url}?disposition=inline`,
      headers: agent.headers,
    });
    expect(inlinePage.headers['content-disposition']).toMatch(/^attachment;/);
    const inlineImage = await server.app.inject({
      method: 'GET',
      url: `${image!.url}?disposition=inline`,
      headers: agent.headers,
    });
    expect(inlineImage.headers['content-disposition']).toMatch(/^inline;/);
    expect(inlineImage.rawPayload.equals(PNG)).toBe(true);
  });

  it('refuse a file over the limit with a 413 naming it, and store nothing', async () => {
    const ticket = await newTicket();
    const before = await server.deps.database.query(
      'select count(*)::int as n from attachments where ticket_id = $1',
      [ticket.id],
    );
    const res = await upload(ticket.id, [
      { name: 'huge.bin', type: 'application/octet-stream', data: Buffer.alloc(LIMIT + 1, 1) },
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json<Problem>().detail).toContain('huge.bin');
    expect(res.json<Problem>().errors?.[0]?.field).toBe('file');
    const after = await server.deps.database.query(
      'select count(*)::int as n from attachments where ticket_id = $1',
      [ticket.id],
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('keep unsent uploads to their uploader and refuse sending them from elsewhere', async () => {
    const ticket = await newTicket();
    const other = await newTicket();
    const [file] = (
      await upload(ticket.id, [{ name: 'a.txt', type: 'text/plain', data: Buffer.from('hello') }])
    ).json<AttachmentList>().items;
    expect(file?.contentType).toBe('text/plain; charset=utf-8');
    expect(
      (await server.app.inject({ method: 'GET', url: file!.url, headers: colleague.headers })).statusCode,
    ).toBe(404);
    const elsewhere = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${other.id}/messages`,
      headers: agent.headers,
      payload: { body: 'see file', attachmentIds: [file!.id] },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json<Problem>().errors?.[0]?.field).toBe('attachmentIds');
    const byColleague = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers: colleague.headers,
      payload: { body: 'mine now', attachmentIds: [file!.id] },
    });
    expect(byColleague.statusCode).toBe(400);
    const messages = (
      await server.app.inject({
        method: 'GET',
        url: `/api/v1/tickets/${ticket.id}/messages`,
        headers: agent.headers,
      })
    ).json<MessageList>();
    expect(messages.items.map((m) => m.bodyText)).not.toContain('mine now');
    const discarded = await server.app.inject({ method: 'DELETE', url: file!.url, headers: agent.headers });
    expect(discarded.statusCode).toBe(204);
  });

  it('answer a request without files or without multipart with a clear problem', async () => {
    const ticket = await newTicket();
    const json = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/attachments`,
      headers: agent.headers,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    const empty = multipartBody([]);
    const none = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/attachments`,
      headers: { ...agent.headers, ...empty.headers },
      payload: empty.payload,
    });
    expect(none.statusCode).toBe(400);
  });
});

describe('attachments in the database storage', () => {
  it('round-trip the bytes through the blobs table, for processes without a shared disk', async () => {
    const second = await startTestServer({ config: { storage: 'database' } });
    try {
      const ticket = await newTicket();
      const body = multipartBody([{ name: 'pixel.png', type: 'image/png', data: PNG }]);
      const res = await second.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/attachments`,
        headers: { ...agent.headers, ...body.headers },
        payload: body.payload,
      });
      expect(res.statusCode, res.body).toBe(201);
      const [file] = res.json<AttachmentList>().items;
      const { rows } = await second.deps.database.query(
        'select count(*)::int as n from blobs b join attachments a on a.storage_key = b.key where a.id = $1',
        [file!.id],
      );
      expect(Number(rows[0]?.n)).toBe(1);
      const download = await second.app.inject({ method: 'GET', url: file!.url, headers: agent.headers });
      expect(download.rawPayload.equals(PNG)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
