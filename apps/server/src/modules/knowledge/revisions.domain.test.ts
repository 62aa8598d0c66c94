import { describe, expect, it } from 'vitest';
import { FEW_PUBLISHERS, proposalRecipients } from './revisions.domain';

const OWNER = 'owner';
const LAST = 'last-publisher';
const others = (n: number) => Array.from({ length: n }, (_, i) => `publisher-${i}`);

describe('who hears of a proposed change', () => {
  it('tells the owner alone when the owner may publish', () => {
    const article = { ownerId: OWNER, lastPublisherId: LAST };
    expect(proposalRecipients(article, new Set([OWNER, LAST]), others(2))).toEqual([OWNER]);
  });

  it('tells the last publisher when the owner may not publish or there is none', () => {
    expect(proposalRecipients({ ownerId: OWNER, lastPublisherId: LAST }, new Set([LAST]), others(9))).toEqual(
      [LAST],
    );
    expect(proposalRecipients({ ownerId: null, lastPublisherId: LAST }, new Set([LAST]), others(9))).toEqual([
      LAST,
    ]);
  });

  it('tells every publisher of a small team when neither may publish, and nobody in a large one', () => {
    const article = { ownerId: OWNER, lastPublisherId: LAST };
    const few = others(FEW_PUBLISHERS);
    expect(proposalRecipients(article, new Set(), few)).toEqual(few);
    expect(proposalRecipients(article, new Set(), others(FEW_PUBLISHERS + 1))).toEqual([]);
    expect(proposalRecipients({ ownerId: null, lastPublisherId: null }, new Set(), [])).toEqual([]);
  });
});
