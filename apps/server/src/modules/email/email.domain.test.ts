import { describe, expect, it } from 'vitest';
import {
  essentialHeadersOnly,
  normalizeMessageId,
  referencedIds,
  ticketNumberInSubject,
  ticketSubject,
} from './email.domain';

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

describe('essentialHeadersOnly', () => {
  it('keeps who, what and how (folded lines included) and drops the rest, body untouched', () => {
    const raw = Buffer.from(
      [
        'From: Erika <e@example.com>',
        'X-Noise-1: a',
        'Subject: Hallo',
        '  Welt',
        'X-Noise-2: b',
        'Content-Type: text/plain; charset=iso-8859-1',
        '',
        'Gr\u00fc\u00dfe',
        '',
        'X-Not-A-Header: body',
      ].join('\r\n'),
      'latin1',
    );
    const cut = essentialHeadersOnly(raw)!.toString('latin1');
    expect(cut).toBe(
      [
        'From: Erika <e@example.com>',
        'Subject: Hallo',
        '  Welt',
        'Content-Type: text/plain; charset=iso-8859-1',
        '',
        'Gr\u00fc\u00dfe',
        '',
        'X-Not-A-Header: body',
      ].join('\r\n'),
    );
  });

  it('leaves a message with only essential headers alone', () => {
    expect(essentialHeadersOnly(Buffer.from('From: a@b\r\nSubject: x\r\n\r\nbody'))).toBeNull();
  });
});
