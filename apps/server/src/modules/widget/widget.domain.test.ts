import { describe, expect, it } from 'vitest';
import {
  chooseLanguage,
  DEFAULT_LOOK,
  frameContentSecurityPolicy,
  hostOriginOf,
  liveEventOf,
  lookOf,
  safeColor,
  subjectOf,
  tokenFromHeader,
} from './widget.domain';

describe('widget settings', () => {
  it('fills missing settings with the defaults', () => {
    expect(lookOf(null)).toEqual(DEFAULT_LOOK);
    expect(lookOf({ position: 'bottom-left' })).toEqual({ ...DEFAULT_LOOK, position: 'bottom-left' });
  });

  it('drops values that could break out of a style property or a header', () => {
    const look = lookOf({
      primaryColor: 'red;background:url(x)',
      textColor: '#FFF',
      position: 'top' as never,
      language: 'fr' as never,
      allowedOrigins: [
        'https://Shop.Example',
        'https://a.example; script-src *',
        'javascript:alert(1)',
        'http://x:8080',
      ],
    });
    expect(look.primaryColor).toBe(DEFAULT_LOOK.primaryColor);
    expect(look.textColor).toBe('#fff');
    expect(look.position).toBe('bottom-right');
    expect(look.language).toBe('auto');
    expect(look.allowedOrigins).toEqual(['https://shop.example', 'http://x:8080']);
  });

  it('keeps a disabled widget disabled', () => {
    expect(lookOf({ enabled: false }).enabled).toBe(false);
  });

  it.each([
    ['#1864ab', '#1864ab'],
    ['#abc', '#abc'],
    ['#12345', '#000'],
    ['blue', '#000'],
    [undefined, '#000'],
  ])('accepts %s as colour → %s', (value, expected) => {
    expect(safeColor(value, '#000')).toBe(expected);
  });
});

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
    expect(csp).not.toContain('unsafe');
  });

  it('accepts only a plain origin as the host page', () => {
    expect(hostOriginOf('https://shop.example:8443')).toBe('https://shop.example:8443');
    expect(hostOriginOf('https://shop.example/path')).toBeNull();
    expect(hostOriginOf('null')).toBeNull();
    expect(hostOriginOf(undefined)).toBeNull();
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
