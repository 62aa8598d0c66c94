import { describe, expect, it } from 'vitest';
import { firstName, renderMacro, unknownPlaceholders } from './macros.domain';

describe('macros', () => {
  it('fill customer, ticket and agent fields, and leave nothing of a missing value behind', () => {
    const text =
      'Hallo {{ customer.firstName }}, Ihre Anfrage #{{ticket.number}} ist erledigt. Gruß, {{agent.name}}';
    expect(
      renderMacro(text, {
        'customer.firstName': 'Erika',
        'ticket.number': '10042',
        'agent.name': 'Aaron Agent',
      }),
    ).toBe('Hallo Erika, Ihre Anfrage #10042 ist erledigt. Gruß, Aaron Agent');
    expect(renderMacro('Hallo {{customer.firstName}}, danke!', {})).toBe('Hallo, danke!');
    expect(firstName(' Erika  Muster ')).toBe('Erika');
  });

  it('name the placeholders nobody knows', () => {
    expect(unknownPlaceholders('{{customer.nmae}} {{ticket.number}} {{customer.nmae}} {{foo}}')).toEqual([
      'customer.nmae',
      'foo',
    ]);
    expect(unknownPlaceholders('Keine Platzhalter')).toEqual([]);
  });
});
