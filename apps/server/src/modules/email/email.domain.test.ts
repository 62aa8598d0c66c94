import { describe, expect, it } from 'vitest';
import { normalizeMessageId, referencedIds, ticketNumberInSubject, ticketSubject } from './email.domain';

describe('normalizeMessageId', () => {
  it('drops brackets and case, and refuses empty ids', () => {
    expect(normalizeMessageId(' <ABC.123@Mail.Example> ')).toBe('abc.123@mail.example');
    expect(normalizeMessageId('<>')).toBeNull();
    expect(normalizeMessageId(undefined)).toBeNull();
  });
});

describe('referencedIds', () => {
  it('puts In-Reply-To first, then References from the newest, each once', () => {
    expect(referencedIds('<c@x>', ['<a@x>', '<b@x>', '<c@x>'])).toEqual(['c@x', 'b@x', 'a@x']);
    expect(referencedIds(undefined, '<a@x> <b@x>')).toEqual(['b@x', 'a@x']);
    expect(referencedIds(undefined, undefined)).toEqual([]);
  });
});

describe('ticketNumberInSubject', () => {
  it('finds [#number] anywhere and nothing else', () => {
    expect(ticketNumberInSubject('Re: [#10042] Rechnung')).toBe(10042);
    expect(ticketNumberInSubject('Bestellung #10042')).toBeNull();
    expect(ticketNumberInSubject(undefined)).toBeNull();
  });
});

describe('ticketSubject', () => {
  it('removes reply and forward prefixes in German and English, and our number', () => {
    expect(ticketSubject('AW: Re: WG: [#10042] Rechnung doppelt')).toBe('Rechnung doppelt');
    expect(ticketSubject('Re[2]: Hallo')).toBe('Hallo');
    expect(ticketSubject('   ')).toBe('(no subject)');
    expect(ticketSubject('Return policy')).toBe('Return policy');
  });
});
