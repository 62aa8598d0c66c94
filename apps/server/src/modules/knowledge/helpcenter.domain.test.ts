import { describe, expect, it } from 'vitest';
import {
  contrastRatio,
  etagOf,
  headerColors,
  isNotModified,
  negotiateLanguage,
  parseArticlePath,
} from './helpcenter.domain';

describe('negotiateLanguage', () => {
  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['en-US,en;q=0.9,de;q=0.8', 'en'],
    ['fr-FR,fr;q=0.9,de;q=0.5,en;q=0.6', 'en'],
    ['fr-FR', 'de'],
    ['', 'de'],
    ['de;q=0', 'de'],
    ['en;q=0,de;q=0.1', 'de'],
  ] as const)('%s → %s (default de)', (header, expected) => {
    expect(negotiateLanguage(header, 'de')).toBe(expected);
  });
});

describe('parseArticlePath', () => {
  it('reads the number and the slug', () => {
    expect(parseArticlePath('1042-reset-your-password')).toEqual({
      number: 1042,
      slug: 'reset-your-password',
    });
    expect(parseArticlePath('1042')).toEqual({ number: 1042, slug: '' });
  });
  it('refuses paths that do not start with a number', () => {
    expect(parseArticlePath('reset-1042')).toBeNull();
    expect(parseArticlePath('99999999999-x')).toBeNull();
  });
});

describe('headerColors', () => {
  it('puts white text on a dark brand colour and dark text on a light one', () => {
    expect(headerColors('#1864ab')).toEqual({ background: '#1864ab', text: '#ffffff' });
    expect(headerColors('#ffd43b').text).toBe('#1a1b1e');
  });
  it('always reaches 4.5:1', () => {
    for (const color of ['#777777', '#ff0000', '#00ff00', '#808080', 'nonsense']) {
      const { background, text } = headerColors(color);
      expect(contrastRatio(background, text)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('ETags', () => {
  it('matches the same body and not another', () => {
    const tag = etagOf('<p>a</p>');
    expect(isNotModified(tag, tag)).toBe(true);
    expect(isNotModified(`W/${tag}, "other"`, tag)).toBe(true);
    expect(isNotModified(etagOf('<p>b</p>'), tag)).toBe(false);
    expect(isNotModified(undefined, tag)).toBe(false);
  });
});
