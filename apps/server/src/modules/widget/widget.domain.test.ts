import { describe, expect, it } from 'vitest';
import {
  chooseLanguage,
  frameContentSecurityPolicy,
  liveEventOf,
  subjectOf,
  tokenFromHeader,
} from './widget.domain';

describe('frame language', () => {
  it.each([
    [{ requested: 'de', brand: 'en' as const }, 'de'],
    [{ requested: 'xx', brand: 'de' as const }, 'de'],
    [{ brand: 'en' as const, hostLanguage: 'de-DE' }, 'en'],
    [{ brand: 'auto' as const, hostLanguage: 'de-AT' }, 'de'],
    [{ brand: 'auto' as const, hostLanguage: '', acceptLanguage: 'de-CH,de;q=0.9' }, 'de'],
    [{ brand: 'auto' as const, hostLanguage: 'fr', acceptLanguage: 'fr' }, 'en'],
  ])('%o → %s', (input, expected) => {
    expect(chooseLanguage(input)).toBe(expected);
  });
});

describe('frame policy', () => {
  it('allows any embedding site when no origins are configured, else exactly those', () => {
    expect(frameContentSecurityPolicy([])).toMatch(/frame-ancestors \*$/);
    expect(frameContentSecurityPolicy(['https://a.example', 'https://b.example'])).toMatch(
      /frame-ancestors https:\/\/a\.example https:\/\/b\.example$/,
    );
  });

  it('runs only its own scripts and styles', () => {
    const csp = frameContentSecurityPolicy([]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    // Search, the search-click report and the conversation are calls to Keepdesk's own API.
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe');
  });
});

describe('conversation token header', () => {
  it('reads the token of the Widget scheme only', () => {
    const token = 'a'.repeat(43);
    expect(tokenFromHeader(`Widget ${token}`)).toBe(token);
    expect(tokenFromHeader(`Bearer ${token}`)).toBeNull();
    expect(tokenFromHeader('Widget short')).toBeNull();
    expect(tokenFromHeader(`Widget ${token}'--`)).toBeNull();
    expect(tokenFromHeader(undefined)).toBeNull();
  });
});

describe('request subject', () => {
  it('is the first line of the message', () => {
    expect(subjectOf('Paket fehlt\nBestellung 4711')).toBe('Paket fehlt');
  });

  it('is shortened at a word', () => {
    const subject = subjectOf(`${'Wort '.repeat(30)}Ende`, 40);
    expect(subject.length).toBeLessThanOrEqual(40);
    expect(subject).toMatch(/Wort…$/);
  });
});

describe('live events for visitors', () => {
  it.each([
    ['ticket.replied', 'message'],
    ['ticket.customer_replied', 'message'],
    ['ticket.updated', 'status'],
    ['ticket.noted', null],
    ['ticket.follower_added', null],
  ])('%s → %s', (action, expected) => {
    expect(liveEventOf(action)).toBe(expected);
  });
});
