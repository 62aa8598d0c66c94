import type { CustomerImportField } from '@keepdesk/contract';
import { describe, expect, it } from 'vitest';
import { csvHeader, importBody, missingRequired, suggestColumns } from './import';

const field = (name: string, required: boolean, aliases: string[] = []): CustomerImportField => ({
  name,
  key: name,
  type: 'text',
  required,
  description: '',
  aliases,
});

const ACCOUNT_FIELDS = [
  field('external_id', true, ['id', 'account_id', 'customer_id', 'account']),
  field('name', false, ['account_name', 'customer_name', 'company_name']),
  field('email', false, ['email_address', 'mail']),
];

describe('csvHeader', () => {
  it.each([
    ['external_id,name,email\nA-1,x,y', ['external_id', 'name', 'email']],
    ['\uFEFFKundennummer;Firma;Betrag\r\nA-1;x;1,5', ['Kundennummer', 'Firma', 'Betrag']],
    ['"Name, full","say ""hi""",id\n', ['Name, full', 'say "hi"', 'id']],
    ['"Kunde; Nr";Firma;Betrag\n', ['Kunde; Nr', 'Firma', 'Betrag']],
    [' id , name \n', ['id', 'name']],
    ['only', ['only']],
    ['', []],
  ])('reads the header of %j', (text, expected) => {
    expect(csvHeader(text)).toEqual(expected);
  });
});

describe('suggestColumns', () => {
  it('picks the column named like the field first, then an other name, ignoring case and punctuation', () => {
    expect(suggestColumns(ACCOUNT_FIELDS, ['Customer ID', 'E-Mail Address', 'Name'])).toEqual({
      external_id: 'Customer ID',
      name: 'Name',
      email: 'E-Mail Address',
    });
  });

  it('leaves a field without a matching column empty and gives a column to one field only', () => {
    expect(suggestColumns(ACCOUNT_FIELDS, ['account', 'Firma'])).toEqual({
      external_id: 'account',
      name: null,
      email: null,
    });
    expect(
      suggestColumns([field('account', true, ['id']), field('external_id', true, ['id'])], ['id']),
    ).toEqual({
      account: 'id',
      external_id: null,
    });
  });
});

describe('missingRequired', () => {
  it('names the required fields without a column', () => {
    expect(missingRequired(ACCOUNT_FIELDS, { external_id: null, name: 'Firma', email: null })).toEqual([
      'external_id',
    ]);
    expect(missingRequired(ACCOUNT_FIELDS, { external_id: 'Kundennummer' })).toEqual([]);
  });
});

describe('importBody', () => {
  it('sends the chosen columns as the mapping and a date format only when given', () => {
    expect(importBody('orders', 'csv', { external_id: 'Nr', amount: null }, '  ', true)).toEqual({
      kind: 'orders',
      csv: 'csv',
      map: { external_id: 'Nr' },
      dryRun: true,
    });
    expect(importBody('orders', 'csv', {}, ' dd.MM.yyyy ', false)).toEqual({
      kind: 'orders',
      csv: 'csv',
      map: {},
      dryRun: false,
      dateFormat: 'dd.MM.yyyy',
    });
  });
});
