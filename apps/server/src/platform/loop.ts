import type { Logger } from './logging';

/**
 * Runs `round` every `everyMs` and on `kick()`, never twice at once: a kick during a round asks for one more
 * round after it. `round` returns whether there is more to do right away (a full batch); then it runs again.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly round: () => Promise<boolean>,
    private readonly everyMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.kick(), this.everyMs);
    this.timer.unref();
    void this.kick();
  }

  /** Runs rounds until there is nothing more to do; resolves when they end. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          while (!this.stopped && (await this.round())) {}
        } while (this.rerun && !this.stopped);
      } catch (err) {
        this.log.error({ err }, `${this.name} failed; will retry`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Stops the timer and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
