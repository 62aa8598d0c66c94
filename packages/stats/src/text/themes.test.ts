import { describe, expect, it } from 'vitest';
import { findThemes, stem } from './themes';

// Three things customers wrote about, in varied words, plus a few one-off remarks.
const INVOICE = [
  'Die Rechnung wurde doppelt abgebucht',
  'Rechnung doppelt bezahlt, bitte erstatten',
  'Meine Rechnungen sind falsch adressiert',
  'Warum wurde die Rechnung doppelt abgebucht?',
  'Falscher Betrag auf der Rechnung',
  'Rechnung zweimal abgebucht, Erstattung fehlt',
];
const DELIVERY = [
  'The delivery arrived late and the parcel was damaged',
  'Parcel damaged on delivery',
  'Late delivery again, tracking shows nothing',
  'My parcel never arrived, where is my delivery?',
  'Delivery delayed by a week, parcel still missing',
  'Damaged parcel and slow delivery',
];
const LOGIN = [
  'Cannot login after the password reset',
  'Password reset link does not work, login impossible',
  'Login fails since I changed my password',
  'Locked out: password reset mail never came, no login',
  'Login broken after password change',
  'The password reset keeps failing and I cannot login',
];
const ODD = ['Nice weather today', 'Do you sell gift cards?', 'Ich mag eure Farben'];

function corpus(copies: number) {
  const texts: string[] = [];
  for (let c = 0; c < copies; c++) texts.push(...INVOICE, ...DELIVERY, ...LOGIN);
  texts.push(...ODD);
  return texts.map((text, i) => ({ id: String(i), text }));
}

describe('findThemes', () => {
  it('finds the three subjects and puts every text about one into its theme', () => {
    const documents = corpus(3);
    const { themes, unassigned } = findThemes(documents, { minDocuments: 3 });
    const byKeyword = (word: string) => themes.find((t) => t.keywords.includes(word));
    const invoice = byKeyword('rechnung');
    const delivery = byKeyword('delivery');
    const login = byKeyword('login');
    expect(new Set([invoice, delivery, login]).size).toBe(3);
    const textsOf = (theme: typeof invoice) => theme!.documents.map((id) => documents[Number(id)]!.text);
    expect(textsOf(invoice).every((t) => INVOICE.includes(t))).toBe(true);
    expect(textsOf(delivery).every((t) => DELIVERY.includes(t))).toBe(true);
    expect(textsOf(login).every((t) => LOGIN.includes(t))).toBe(true);
    expect(textsOf(invoice).length + textsOf(delivery).length + textsOf(login).length).toBeGreaterThanOrEqual(
      50,
    );
    expect(unassigned).toBeGreaterThanOrEqual(ODD.length);
    expect(login!.label).toMatch(/login|password/);
  });

  it('merges inflections and ignores stop words of both languages', () => {
    expect(stem('rechnungen')).toBe('rechnung');
    expect(stem('deliveries')).toBe('delivery');
    expect(stem('parcels')).toBe('parcel');
    const { themes } = findThemes(corpus(3), { minDocuments: 3 });
    const words = themes.flatMap((t) => t.keywords.flatMap((k) => k.split(' ')));
    expect(words).toContain('rechnung');
    for (const stop of ['die', 'the', 'and', 'und', 'after', 'auf', 'wurde', 'does'])
      expect(words).not.toContain(stop);
  });

  it('returns nothing for no texts', () => {
    expect(findThemes([])).toEqual({ themes: [], unassigned: 0 });
  });
});
