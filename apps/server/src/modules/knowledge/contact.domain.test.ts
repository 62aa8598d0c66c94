import { describe, expect, it } from 'vitest';
import { capDecision, isEmailAddress, judgeSubmission, MIN_FILL_MS, signFormStart } from './contact.domain';

const SECRET = 'test-secret';
const NOW = 1_800_000_000_000;

describe('judgeSubmission', () => {
  it('accepts a form filled in by a person', () => {
    const started = signFormStart(SECRET, NOW - 20_000);
    expect(judgeSubmission(SECRET, { honeypot: '', started }, NOW)).toBe('ok');
  });
  it('drops a filled honeypot', () => {
    const started = signFormStart(SECRET, NOW - 20_000);
    expect(judgeSubmission(SECRET, { honeypot: 'http://spam', started }, NOW)).toBe('honeypot');
  });
  it('drops a post faster than a person could type', () => {
    const started = signFormStart(SECRET, NOW - MIN_FILL_MS + 1);
    expect(judgeSubmission(SECRET, { honeypot: undefined, started }, NOW)).toBe('too_fast');
  });
  it('drops a forged or missing start time', () => {
    const genuine = signFormStart(SECRET, NOW - 20_000);
    const forged = genuine.replace(/^\d+/, String(NOW - 60_000));
    expect(judgeSubmission(SECRET, { honeypot: '', started: forged }, NOW)).toBe('bad_token');
    expect(judgeSubmission('other', { honeypot: '', started: genuine }, NOW)).toBe('bad_token');
    expect(judgeSubmission(SECRET, { honeypot: '', started: undefined }, NOW)).toBe('bad_token');
  });
});

describe('capDecision', () => {
  it('creates below the cap and appends at it', () => {
    expect(capDecision(0, 5)).toBe('create');
    expect(capDecision(4, 5)).toBe('create');
    expect(capDecision(5, 5)).toBe('append');
  });
});

describe('isEmailAddress', () => {
  it.each([
    ['anna@example.com', true],
    ['anna.b+tag@mail.example.de', true],
    ['anna@example', false],
    ['anna example@x.de', false],
    ['<script>@x.de', false],
  ] as const)('%s → %s', (value, expected) => {
    expect(isEmailAddress(value)).toBe(expected);
  });
});
