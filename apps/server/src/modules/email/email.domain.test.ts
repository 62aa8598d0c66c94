import { describe, expect, it } from 'vitest';
import {
  automaticReason,
  deliveryReport,
  essentialHeadersOnly,
  fillTemplate,
  headersAsUtf8,
  isBlocked,
  isSpam,
  normalizeMessageId,
  outboundMessageId,
  referencedIds,
  replyToken,
  retryDelaySeconds,
  ticketNumberFromTokens,
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

describe('reply tokens', () => {
  const secret = 'a'.repeat(64);
  it('carry the ticket number, signed, inside our Message-IDs', () => {
    const token = replyToken(secret, 10042);
    expect(token).toMatch(/^kd10042-[0-9a-f]{12}$/);
    const id = outboundMessageId(token, 'Support@Keepdesk.Example', 'AbC');
    expect(id).toBe(`abc.${token}@keepdesk.example`);
    expect(ticketNumberFromTokens(secret, ['other@x', id])).toBe(10042);
  });

  it('are refused when forged, signed with another key or for another number', () => {
    const token = replyToken(secret, 7);
    expect(ticketNumberFromTokens(secret, [`x.kd7-000000000000@h`])).toBeNull();
    expect(ticketNumberFromTokens('b'.repeat(64), [`x.${token}@h`])).toBeNull();
    expect(ticketNumberFromTokens(secret, [`x.${token.replace('kd7', 'kd8')}@h`])).toBeNull();
    expect(ticketNumberFromTokens(secret, [])).toBeNull();
  });
});

describe('automaticReason', () => {
  const from = (headers: Record<string, string>) => (name: string) => headers[name];
  it('knows RFC 3834, bulk and list mail, and vacation notices by their subject', () => {
    expect(automaticReason(from({ 'auto-submitted': 'auto-replied' }), 'x')).toBe(
      'Auto-Submitted: auto-replied',
    );
    expect(automaticReason(from({ precedence: 'Bulk' }), 'x')).toBe('Precedence: bulk');
    expect(automaticReason(from({ 'x-autoreply': 'yes' }), 'x')).toBe('x-autoreply present');
    expect(automaticReason(from({}), 'Abwesenheitsnotiz: Urlaub bis 3.1.')).toMatch(/automatic reply/);
    expect(automaticReason(from({}), 'Out of Office: back Monday')).toMatch(/automatic reply/);
  });

  it('lets people through, including Auto-Submitted: no', () => {
    expect(automaticReason(from({ 'auto-submitted': 'no' }), 'Meine Rechnung')).toBeNull();
    expect(automaticReason(from({ precedence: 'first-class' }), 'Urlaubsreise storniert?')).toBeNull();
  });
});

describe('retryDelaySeconds and fillTemplate', () => {
  it('doubles from the base up to six hours', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(30, n))).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(30, 20)).toBe(21_600);
  });

  it('fills known placeholders and leaves unknown ones', () => {
    expect(fillTemplate('Ticket [#{{ number }}] – {{subject}} {{nope}}', { number: 5, subject: 'Hi' })).toBe(
      'Ticket [#5] – Hi {{nope}}',
    );
  });
});

describe('deliveryReport', () => {
  const dsn = [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'Sorry.',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.com',
    '',
    'Final-Recipient: rfc822; Gone@Example.com',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>:',
    '  User unknown',
    '',
    '--B',
    'Content-Type: text/rfc822-headers',
    '',
    'Message-ID: <ABC.kd12-0123456789ab@keepdesk.example>',
    '',
    '--B--',
  ].join('\r\n');

  it('reads recipient, action, status, diagnostic (folded) and the returned Message-ID', () => {
    expect(deliveryReport(dsn, 'multipart/report; report-type=delivery-status', 'mailer-daemon@mx')).toEqual({
      recipients: [
        {
          address: 'gone@example.com',
          action: 'failed',
          status: '5.1.1',
          diagnostic: '550 5.1.1 <gone@example.com>: User unknown',
        },
      ],
      originalMessageIds: ['abc.kd12-0123456789ab@keepdesk.example'],
    });
  });

  it('knows a daemon bounce without report structure, and ignores ordinary mail', () => {
    const plain = 'Subject: Undeliverable\r\n\r\nYour mail to x failed.\r\n\r\nMessage-ID: <o@k>\r\n';
    expect(deliveryReport(plain, 'text/plain', 'postmaster@mx.example')).toEqual({
      recipients: [],
      originalMessageIds: ['o@k'],
    });
    expect(deliveryReport(plain, 'text/plain', 'anna@example.com')).toBeNull();
  });
});

describe('isBlocked and isSpam', () => {
  it('matches an address, a domain and its subdomains, not look-alikes', () => {
    const list = ['spam@example.com', '@bad.example', 'worse.example'];
    expect(isBlocked('Spam@Example.com', list)).toBe('spam@example.com');
    expect(isBlocked('x@bad.example', list)).toBe('@bad.example');
    expect(isBlocked('x@mail.worse.example', list)).toBe('worse.example');
    expect(isBlocked('x@notbad.example', list)).toBeNull();
    expect(isBlocked('other@example.com', list)).toBeNull();
  });

  it('reads the spam flag headers', () => {
    expect(isSpam((n) => ({ 'x-spam-flag': 'YES' })[n])).toBe(true);
    expect(isSpam((n) => ({ 'x-spam-status': 'Yes, score=9.1' })[n])).toBe(true);
    expect(isSpam((n) => ({ 'x-spam-status': 'No, score=0.1' })[n])).toBe(false);
    expect(isSpam(() => undefined)).toBe(false);
  });
});

describe('headersAsUtf8', () => {
  it('reads raw legacy header bytes in the declared charset, leaving the body alone', () => {
    const raw = Buffer.concat([
      Buffer.from(
        'Subject: K\u00fcndigung\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n',
        'latin1',
      ),
      Buffer.from([0xfc]),
    ]);
    const fixed = headersAsUtf8(raw)!;
    expect(fixed.toString('utf8').startsWith('Subject: Kündigung\r\n')).toBe(true);
    expect(fixed[fixed.length - 1]).toBe(0xfc);
  });

  it('takes windows-1252 when nothing Western is declared, and leaves UTF-8 or ASCII headers alone', () => {
    const euro = Buffer.from([...Buffer.from('Subject: 5 '), 0x80, ...Buffer.from('\r\n\r\nx')]);
    expect(headersAsUtf8(euro)!.toString('utf8')).toBe('Subject: 5 €\r\n\r\nx');
    expect(headersAsUtf8(Buffer.from('Subject: Grüße\r\n\r\nx', 'utf8'))).toBeNull();
    expect(headersAsUtf8(Buffer.from('Subject: hi\r\n\r\n\u00fc', 'latin1'))).toBeNull();
  });
});
