import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DatabaseHandle } from './db';
import { AppError } from './errors';

const KEY = /^[\w.:-]{1,200}$/;

/**
 * Runs a create at most once per `Idempotency-Key` header, caller and route: a retry with the same key and
 * body gets the first answer again (with `Idempotent-Replayed: true`), one with another body 422, one while
 * the first is still running 409. Without the header the create just runs. Keys are kept for 24 hours.
 */
export async function idempotent<T>(
  database: DatabaseHandle,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  create: () => Promise<T>,
): Promise<T> {
  const header = req.headers['idempotency-key'];
  if (header === undefined) {
    reply.code(status);
    return create();
  }
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || !KEY.test(key)) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'invalid Idempotency-Key header',
      errors: [{ field: 'Idempotency-Key', message: '1 to 200 letters, digits, _ . : -' }],
    });
  }
  const caller = req.principal?.userId ?? `ip:${req.ip}`;
  const route = `${req.method} ${req.routeOptions.url}`;
  const requestHash = createHash('sha256')
    .update(JSON.stringify(req.body ?? null))
    .digest('hex');

  await database.query(`delete from idempotency_keys where created_at < now() - interval '24 hours'`);
  const claimed = await database.query(
    `insert into idempotency_keys (caller, route, key, request_hash) values ($1, $2, $3, $4)
     on conflict do nothing returning key`,
    [caller, route, key, requestHash],
  );
  if (claimed.rows.length === 0) {
    const { rows } = await database.query(
      'select request_hash, status, body from idempotency_keys where caller = $1 and route = $2 and key = $3',
      [caller, route, key],
    );
    const first = rows[0];
    if (!first)
      throw new AppError('IDEMPOTENCY_KEY_IN_USE', { message: 'retry: the first request just ended' });
    if (first.request_hash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', {
        message: 'this Idempotency-Key was used with a different request body',
        errors: [{ field: 'Idempotency-Key', message: 'already used with a different body' }],
      });
    }
    if (first.status === null) {
      throw new AppError('IDEMPOTENCY_KEY_IN_USE', {
        message: 'a request with this Idempotency-Key is running',
      });
    }
    reply.code(Number(first.status)).header('idempotent-replayed', 'true');
    return first.body as T;
  }
  try {
    const result = await create();
    await database.query(
      'update idempotency_keys set status = $4, body = $5 where caller = $1 and route = $2 and key = $3',
      [caller, route, key, status, JSON.stringify(result)],
    );
    reply.code(status);
    return result;
  } catch (error) {
    // A failed create may be retried with the same key.
    await database
      .query('delete from idempotency_keys where caller = $1 and route = $2 and key = $3', [
        caller,
        route,
        key,
      ])
      .catch(() => {});
    throw error;
  }
}
