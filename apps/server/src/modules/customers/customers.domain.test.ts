import { describe, expect, it } from 'vitest';
import { displayName, domainOf, normalizeEmail, normalizePhone, uniqueNormalized } from './customers.domain';

describe('customer identities', () => {
  it('compares e-mail addresses case-insensitively', () => {
    expect(normalizeEmail('  Anna.Schmidt@Example.COM ')).toBe('anna.schmidt@example.com');
  });

  it('compares phone numbers by digits and keeps the international +', () => {
    expect(normalizePhone('+49 (30) 1234-56')).toBe('+4930123456');
    expect(normalizePhone('030 / 1234 56')).toBe('030123456');
  });

  it('finds the domain of an address', () => {
    expect(domainOf('anna@Shop.Example.de')).toBe('shop.example.de');
    expect(domainOf('no-at-sign')).toBeNull();
    expect(domainOf('trailing@')).toBeNull();
  });

  it('names a contact by name, else by address, else by phone', () => {
    expect(displayName(' Anna ', ['a@x.de'], [])).toBe('Anna');
    expect(displayName('', ['anna.schmidt@x.de'], [])).toBe('anna.schmidt');
    expect(displayName('', [], ['+4930123'])).toBe('+4930123');
  });

  it('drops duplicates after normalising, keeping the first order', () => {
    expect(uniqueNormalized(['B@x.de', 'a@x.de', 'b@X.de'], normalizeEmail)).toEqual(['b@x.de', 'a@x.de']);
  });
});
