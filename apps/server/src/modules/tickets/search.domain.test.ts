import { describe, expect, it } from 'vitest';
import { MATCH_END, MATCH_START, parseSearch, snippetHtml } from './search.domain';

describe('parseSearch', () => {
  it('takes filters out of the text', () => {
    expect(parseSearch('status:open assignee:me tag:Billing from:anna@example.com Rechnung doppelt')).toEqual(
      {
        text: 'Rechnung doppelt',
        filter: { statusCategory: ['open'], assignee: ['me'], tagsAll: ['billing'] },
        from: ['anna@example.com'],
      },
    );
  });

  it('keeps quoted phrases and unknown keys as text', () => {
    expect(parseSearch('"nicht angekommen" colour:red')).toEqual({
      text: '"nicht angekommen" colour:red',
      filter: {},
      from: [],
    });
  });

  it('reads custom status keys and priorities', () => {
    expect(parseSearch('status:waiting_for_vendor priority:urgent priority:urgent')).toEqual({
      text: '',
      filter: { status: ['waiting_for_vendor'], priority: ['urgent'] },
      from: [],
    });
  });
});

describe('snippetHtml', () => {
  it('escapes the text and marks the matches', () => {
    expect(snippetHtml(`Die ${MATCH_START}Rechnung${MATCH_END} <script>x</script>`)).toBe(
      'Die <mark>Rechnung</mark> &#60;script&#62;x&#60;/script&#62;',
    );
  });
});
