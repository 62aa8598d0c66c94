import { createHmac, timingSafeEqual } from 'node:crypto';

/** A person needs a few seconds to fill in the form; a bot posting at once is treated like a honeypot hit. */
export const MIN_FILL_MS = 3_000;

/** The hidden field that humans never see and bots fill in; named like a field bots like to fill. */
export const HONEYPOT_FIELD = 'website';
export const STARTED_FIELD = 'started';

/** Per IP: at most this many contact-form posts a minute (in this process; the daily cap holds across all). */
export const CONTACT_RATE_LIMIT = { max: 5, timeWindow: 60_000 } as const;

/**
 * The signed time the form was rendered (`<ms>.<signature>`): a bot cannot forge an older time to pass the
 * minimum fill time, and the server keeps no state per rendered form.
 */
export function signFormStart(secret: string, at: number): string {
  return `${at}.${signatureOf(secret, at)}`;
}

export type SpamVerdict = 'ok' | 'honeypot' | 'too_fast' | 'bad_token';

/** Whether a posted form looks human: honeypot empty, a valid start token, and not posted too quickly. */
export function judgeSubmission(
  secret: string,
  input: { honeypot: string | undefined; started: string | undefined },
  now: number,
): SpamVerdict {
  if (input.honeypot && input.honeypot.trim() !== '') return 'honeypot';
  const match = /^(\d{10,16})\.([A-Za-z0-9_-]{22})$/.exec(input.started ?? '');
  if (!match) return 'bad_token';
  const at = Number(match[1]);
  const expected = Buffer.from(signatureOf(secret, at));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad_token';
  if (now - at < MIN_FILL_MS) return 'too_fast';
  return 'ok';
}

function signatureOf(secret: string, at: number): string {
  return createHmac('sha256', secret)
    .update(`contact-form:${at}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** What to do with a submission given how many tickets the address opened in the last 24 hours. */
export function capDecision(openedToday: number, cap: number): 'create' | 'append' {
  return openedToday < cap ? 'create' : 'append';
}

/** A plausible e-mail address (the mail system is the real check); one @, a dot in the domain, no spaces. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(value);
}
