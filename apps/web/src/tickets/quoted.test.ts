import { describe, expect, it } from 'vitest';
import { foldQuoted } from './quoted';

describe('foldQuoted', () => {
  it('folds an English and a German reply header with what follows', () => {
    const en =
      '<p>Thanks, works now.</p><p>On Tue, 1 Dec 2026 at 10:00, Support wrote:</p><blockquote><p>Try again</p></blockquote>';
    expect(foldQuoted(en)).toEqual({
      visible: '<p>Thanks, works now.</p>',
      folded: '<p>On Tue, 1 Dec 2026 at 10:00, Support wrote:</p><blockquote><p>Try again</p></blockquote>',
    });
    const de =
      '<p>Danke!</p><p>Am 01.12.2026 um 10:00 schrieb Support &lt;support@x.de&gt;:</p><p>&gt; alt</p>';
    expect(foldQuoted(de).visible).toBe('<p>Danke!</p>');
  });

  it('folds Outlook headers and the signature', () => {
    const outlook = '<p>Siehe unten.</p><div>-----Ursprüngliche Nachricht-----<br />Von: A</div>';
    expect(foldQuoted(outlook).visible).toBe('<p>Siehe unten.</p>');
    const fromSent = '<p>Ok</p><p><b>Von:</b> Support<br /><b>Gesendet:</b> Montag</p>';
    expect(foldQuoted(fromSent).visible).toBe('<p>Ok</p>');
    const signature = '<p>Gruß</p><p>-- <br />Erika Muster<br />Tel. 0301234</p>';
    expect(foldQuoted(signature)).toEqual({
      visible: '<p>Gruß</p>',
      folded: '<p>-- <br />Erika Muster<br />Tel. 0301234</p>',
    });
  });

  it('leaves messages without history alone, and never folds everything away', () => {
    expect(foldQuoted('<p>Hallo</p>')).toEqual({ visible: '<p>Hallo</p>', folded: null });
    const onlyQuote = '<blockquote><p>forwarded</p></blockquote>';
    expect(foldQuoted(onlyQuote)).toEqual({ visible: onlyQuote, folded: null });
  });
});
