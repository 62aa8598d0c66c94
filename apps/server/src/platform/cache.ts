/**
 * A value read from the database and trusted for a few seconds, per database handle: lists that every request
 * of a hot path asks for (mailboxes, the block list, SLA policies). A change made in this process calls
 * `forget`; one made in another process shows once the time is up. A failed read is not kept.
 */
export class ShortCache<T> {
  private readonly entries = new WeakMap<object, { at: number; value: Promise<T> }>();

  constructor(private readonly ms: number) {}

  get(owner: object, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(owner);
    if (hit && Date.now() - hit.at < this.ms) return hit.value;
    const value = load();
    this.entries.set(owner, { at: Date.now(), value });
    value.catch(() => this.entries.delete(owner));
    return value;
  }

  forget(owner: object): void {
    this.entries.delete(owner);
  }
}
