import { describe, expect, it } from 'vitest';
import { addDrop, DROP_DIGEST_AFTER, dropNotices, type RunDrops } from './health-drops.domain';

const drop = (n: number) => ({ accountId: `a${n}`, accountName: `Kunde ${n}`, from: 'healthy', to: 'watch' });

function runWith(counts: Record<string, number>): RunDrops {
  const drops: RunDrops = new Map();
  for (const [owner, count] of Object.entries(counts)) {
    for (let n = 0; n < count; n++) addDrop(drops, owner, drop(n));
  }
  return drops;
}

describe('band drops of one run', () => {
  it('tell an owner of each drop up to the limit', () => {
    const notices = dropNotices(runWith({ rita: DROP_DIGEST_AFTER }));
    expect(notices).toEqual([0, 1, 2].map((n) => ({ ownerId: 'rita', kind: 'each', drop: drop(n) })));
  });

  it('tell an owner above the limit of all drops in one digest, and of none singly', () => {
    const notices = dropNotices(runWith({ rita: 1, max: DROP_DIGEST_AFTER + 1, olga: 250 }));
    expect(notices).toEqual([
      { ownerId: 'rita', kind: 'each', drop: drop(0) },
      { ownerId: 'max', kind: 'digest', count: DROP_DIGEST_AFTER + 1 },
      { ownerId: 'olga', kind: 'digest', count: 250 },
    ]);
  });

  it('keep only the first few drops of an owner however many there are', () => {
    const drops = runWith({ olga: 10_000 });
    expect(drops.get('olga')).toEqual({ count: 10_000, first: [drop(0), drop(1), drop(2)] });
  });
});
