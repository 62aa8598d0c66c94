// The reference for `ticket.create.http`: a bare Fastify route that inserts one row with `pg`, nothing else.
import Fastify from 'fastify';
import pg from 'pg';

const [portArg, databaseUrl] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
await pool.query(
  'create table if not exists bench_insert (id uuid primary key default gen_random_uuid(), subject text, body text, created_at timestamptz default now())',
);
const app = Fastify({ logger: false });
app.post('/insert', async (req, reply) => {
  const body = req.body as { subject: string; message: { body: string } };
  const { rows } = await pool.query('insert into bench_insert (subject, body) values ($1, $2) returning id', [
    body.subject,
    body.message.body,
  ]);
  return reply.code(201).send({ id: rows[0].id });
});
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ port: Number(portArg), host: '127.0.0.1' });
