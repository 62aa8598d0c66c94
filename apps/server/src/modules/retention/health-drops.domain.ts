/**
 * An owner whose accounts drop to a worse health band in one scoring run hears of each while there are at most
 * this many; with more (a retrain can move hundreds at once), of all of them in one digest (ADR 0039).
 */
export const DROP_DIGEST_AFTER = 3;

/** One account that dropped to a worse band in a run. */
export interface HealthDrop {
  accountId: string;
  accountName: string;
  from: string;
  to: string;
}

/** The drops of one run by owner: how many in all, and the first few (enough to tell of each when few). */
export type RunDrops = Map<string, { count: number; first: HealthDrop[] }>;

/** Counts a drop for its owner; keeps only what a notice can need, so memory stays bounded by the owners. */
export function addDrop(drops: RunDrops, ownerId: string, drop: HealthDrop): void {
  const owner = drops.get(ownerId) ?? { count: 0, first: [] };
  owner.count += 1;
  if (owner.first.length < DROP_DIGEST_AFTER) owner.first.push(drop);
  drops.set(ownerId, owner);
}

/** What to tell each owner of a whole run: each drop, or — beyond the limit — one digest with their number. */
export type DropNotice =
  | { ownerId: string; kind: 'each'; drop: HealthDrop }
  | { ownerId: string; kind: 'digest'; count: number };

export function dropNotices(drops: RunDrops): DropNotice[] {
  return [...drops].flatMap(([ownerId, owner]): DropNotice[] =>
    owner.count > DROP_DIGEST_AFTER
      ? [{ ownerId, kind: 'digest', count: owner.count }]
      : owner.first.map((drop) => ({ ownerId, kind: 'each', drop })),
  );
}
