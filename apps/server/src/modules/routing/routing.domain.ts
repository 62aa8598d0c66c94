export type RoutingMethod = 'manual' | 'round_robin' | 'least_loaded' | 'skills';

export interface Candidate {
  userId: string;
  /** Open tickets assigned now. */
  load: number;
  capacity: number;
  lastAssignedAt: Date | null;
  skills: Readonly<Record<string, number>>;
  /** Languages the agent answers in; empty: any. */
  languages: readonly string[];
}

export interface Requirement {
  skills: readonly string[];
  language: string;
}

const oldestFirst = (a: Candidate, b: Candidate) =>
  (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) || a.userId.localeCompare(b.userId);

/**
 * The agent a ticket goes to, or null (then it waits in the team's queue). Only online agents with room under
 * their capacity are candidates (the caller passes those). Round robin: whoever got a ticket longest ago.
 * Least loaded: fewest open tickets, then longest ago. Skills: only agents with every required skill and the
 * ticket's language; among them the most skilled, then the least loaded.
 */
export function chooseAgent(
  method: RoutingMethod,
  candidates: readonly Candidate[],
  need: Requirement,
): string | null {
  const free = candidates.filter((c) => c.load < c.capacity);
  if (method === 'manual' || free.length === 0) return null;
  if (method === 'round_robin') return [...free].sort(oldestFirst)[0]!.userId;
  const byLoad = (a: Candidate, b: Candidate) => a.load - b.load || oldestFirst(a, b);
  if (method === 'least_loaded') return [...free].sort(byLoad)[0]!.userId;
  const able = free.filter(
    (c) =>
      need.skills.every((skill) => (c.skills[skill] ?? 0) > 0) &&
      (c.languages.length === 0 || c.languages.includes(need.language)),
  );
  const level = (c: Candidate) => need.skills.reduce((sum, skill) => sum + (c.skills[skill] ?? 0), 0);
  return [...able].sort((a, b) => level(b) - level(a) || byLoad(a, b))[0]?.userId ?? null;
}

/** The skills a ticket needs: its tags that name a skill some agent of the team has. */
export function requiredSkills(tags: readonly string[], candidates: readonly Candidate[]): string[] {
  const known = new Set(candidates.flatMap((c) => Object.keys(c.skills)));
  return tags.filter((tag) => known.has(tag));
}
