import type { Team } from '@keepdesk/contract';
import { expect } from 'vitest';
import { bearerFor, type TestServer, uniq } from '../../../test/harness';

/**
 * The hand-made fixture of the export tests (UTC; 2026-03-02 is a Monday), all in one new team:
 *   A  created Mon 03-02 08:00, answered and solved 08:45          (first response 45 min)
 *   B  created Tue 03-03 10:00, answered and solved 12:00          (first response 120 min)
 *   C  created Tue 03-03 11:00, never answered, open
 * Tickets created per day 03-02..03-04: 1, 2, 0; solved: 1, 1, 0.
 */
export async function makeExportFixture(server: TestServer, teamName = 'Exports'): Promise<Team> {
  const manager = await bearerFor(server, 'manager');
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/teams',
    headers: manager.headers,
    payload: { name: `${teamName} ${uniq()}` },
  });
  expect(created.statusCode, created.body).toBe(201);
  const team = created.json<Team>();
  const sqlOf = (text: string, values: unknown[] = []) => server.deps.database.query(text, values);
  const tickets: [createdAt: string, answeredAt: string | null][] = [
    ['2026-03-02T08:00:00Z', '2026-03-02T08:45:00Z'],
    ['2026-03-03T10:00:00Z', '2026-03-03T12:00:00Z'],
    ['2026-03-03T11:00:00Z', null],
  ];
  for (const [createdAt, answeredAt] of tickets) {
    const [contact] = (await sqlOf(`insert into contacts (name) values ('Export fixture') returning id`))
      .rows;
    const status = answeredAt ? 'solved' : 'new';
    const [row] = (
      await sqlOf(
        `insert into tickets (subject, status_key, status_category, channel, requester_id, team_id, tags,
                              created_at, updated_at)
         values ('Export fixture', $1, $1, 'email', $2, $3, '{}', $4, $4) returning id`,
        [status, contact!.id, team.id, createdAt],
      )
    ).rows;
    const id = String(row!.id);
    await sqlOf(
      `insert into ticket_messages (ticket_id, visibility, author_kind, body_html, body_text, channel, created_at)
       values ($1, 'public', 'contact', '<p>Hallo</p>', 'Hallo', 'email', $2)`,
      [id, createdAt],
    );
    const events: [string, string, string | null, unknown][] = [
      [createdAt, 'created', null, { status: 'new' }],
    ];
    if (answeredAt) {
      events.push([answeredAt, 'replied', null, {}], [answeredAt, 'changed', 'status', 'solved']);
    }
    for (const [at, kind, field, to] of events) {
      await sqlOf(
        `insert into ticket_events (ticket_id, kind, field, from_value, to_value, actor_kind, created_at)
         values ($1, $2, $3, 'null'::jsonb, $4::jsonb, 'system', $5)`,
        [id, kind, field, JSON.stringify(to), at],
      );
    }
  }
  return team;
}

/** The words of an uncompressed pdfkit PDF: its hex text strings (WinAnsi) decoded, in drawing order. */
export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const pieces: string[] = [];
  for (const array of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    const hex = [...array[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('');
    pieces.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return pieces.join(' ');
}
