import { describe, expect, it } from 'vitest';
import {
  anyOf,
  applyCorrections,
  clampExcerpt,
  correctableWords,
  excerptProbes,
  excludesWords,
  normalizeQuery,
  publicArticlePath,
  ticketKeywords,
} from './search.domain';

describe('query words', () => {
  it('normalises case and spacing for grouping', () => {
    expect(normalizeQuery('  Reset   PASSWORD\t now ')).toBe('reset password now');
  });

  it('offers only words of three letters or more, no numbers, each once', () => {
    expect(correctableWords('Pasword pasword 404 of Rückerstattung e-mail')).toEqual([
      'pasword',
      'rückerstattung',
      'mail',
    ]);
  });

  it('replaces corrected words and keeps the rest as typed', () => {
    const corrections = new Map([
      ['pasword', 'password'],
      ['forgoten', 'forgotten'],
    ]);
    expect(applyCorrections('"Forgoten pasword" -admin', corrections)).toBe('"forgotten password" -admin');
    expect(applyCorrections('password reset', corrections)).toBeNull();
    expect(applyCorrections('pasword', new Map([['pasword', 'pasword']]))).toBeNull();
  });

  it('joins words so that any may match', () => {
    expect(anyOf(['invoice', 'refund'])).toBe('invoice or refund');
  });
});

describe('excerpts', () => {
  const body = `Intro sentence. ${'word '.repeat(80)}end.`;

  it('cuts long fragments at a word boundary with an ellipsis', () => {
    const excerpt = clampExcerpt(body, body, 60);
    expect(excerpt.length).toBeLessThanOrEqual(62);
    expect(excerpt.endsWith(' …')).toBe(true);
    expect(excerpt.startsWith('Intro sentence.')).toBe(true);
  });

  it('marks a fragment from the middle of the body', () => {
    expect(clampExcerpt('word word end.', body)).toBe('… word word end.');
  });

  it('falls back to the start of the body when there is no fragment', () => {
    expect(clampExcerpt('', 'Short body.')).toBe('Short body.');
  });
});

describe('excerpt probes', () => {
  it('looks for the start of each word, so inflected forms in the body are found', () => {
    expect(excerptProbes('Exporting Lieferungen to CSV')).toEqual(['export', 'lieferun', 'csv']);
    // Short words stay whole; duplicates and one- or two-letter words are dropped.
    expect(excerptProbes('login LOGIN to a pdf')).toEqual(['login', 'pdf']);
    expect(excerptProbes('"x" - y')).toEqual([]);
  });
});

describe('excluded words', () => {
  it('recognises "-word" as websearch reads it, not a hyphen inside a word', () => {
    expect(excludesWords('-printer')).toBe(true);
    expect(excludesWords('label -printer')).toBe(true);
    expect(excludesWords('sign-in e-mail')).toBe(false);
    expect(excludesWords('price - tax')).toBe(false);
  });
});

describe('ticket keywords', () => {
  it('weighs the subject over messages and drops stop words and greetings in both languages', () => {
    const words = ticketKeywords({
      subject: 'Rechnung doppelt abgebucht',
      messages: ['Hallo, leider wurde meine Rechnung doppelt abgebucht. Bitte um Erstattung. Viele Grüße'],
    });
    expect(words.slice(0, 3)).toEqual(['rechnung', 'doppelt', 'abgebucht']);
    expect(words).toContain('erstattung');
    expect(words).not.toEqual(expect.arrayContaining(['hallo']));
    expect(words).not.toContain('leider');
    expect(words).not.toContain('grüße');
  });

  it('ignores the quoted history below a reply and keeps only the top words', () => {
    const words = ticketKeywords(
      {
        subject: 'Export fails',
        messages: [
          'The CSV export still fails with a timeout.\n\nOn Monday, Support wrote:\n> try the invoice page',
          'Hi team, the export of my invoices fails',
        ],
      },
      4,
    );
    expect(words).toEqual(['export', 'fails', 'csv', 'timeout']);
    expect(ticketKeywords({ subject: 'Hi', messages: ['Thanks!'] })).toEqual([]);
  });
});

it('builds the public path of an article', () => {
  expect(publicArticlePath('default', 'de', 1042, 'passwort-zuruecksetzen')).toBe(
    '/hc/default/de/articles/1042-passwort-zuruecksetzen',
  );
});
