import type { Deps } from '../../platform/context';
import { BackgroundLoop } from '../../platform/loop';
import { maintainZones, processDirty } from './rollups.service';

const BATCH = 1_000;

/**
 * Keeps the rollups current in worker processes: works off dirty subjects every `everyMs` (and at once while
 * batches come full), and builds the day rows of new time zones.
 */
export class ReportingWorker {
  private readonly rollups: BackgroundLoop;
  private readonly zones: BackgroundLoop;

  constructor(deps: Deps, options: { everyMs?: number } = {}) {
    this.rollups = new BackgroundLoop(
      'reporting rollups',
      async () => (await processDirty(deps, BATCH)) === BATCH,
      options.everyMs ?? 500,
      deps.log,
    );
    this.zones = new BackgroundLoop(
      'reporting zones',
      async () => (await maintainZones(deps)) === true,
      30_000,
      deps.log,
    );
  }

  start(): void {
    this.zones.start();
    this.rollups.start();
  }

  /** Works off what is dirty now (tests and the CLI wait for this). */
  async flush(): Promise<void> {
    await this.zones.kick();
    await this.rollups.kick();
  }

  async stop(): Promise<void> {
    await this.rollups.stop();
    await this.zones.stop();
  }
}
