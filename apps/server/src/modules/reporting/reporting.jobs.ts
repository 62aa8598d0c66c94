import type { Deps } from '../../platform/context';
import { BackgroundLoop } from '../../platform/loop';
import { maintainZones, processDirty } from './rollups.service';
import { checkTargets } from './targets.service';

const BATCH = 1_000;
const ZONE_RETRY_MS = 250;

/**
 * Keeps the rollups current in worker processes: works off dirty subjects every `everyMs` (and at once while
 * batches come full), and builds the day rows of new time zones.
 */
export class ReportingWorker {
  private readonly rollups: BackgroundLoop;
  private readonly zones: BackgroundLoop;
  private readonly targets: BackgroundLoop;

  constructor(deps: Deps, options: { everyMs?: number } = {}) {
    this.rollups = new BackgroundLoop(
      'reporting rollups',
      async () => (await processDirty(deps, BATCH)) === BATCH,
      options.everyMs ?? 500,
      deps.log,
    );
    this.zones = new BackgroundLoop(
      'reporting zones',
      async () => {
        const more = await maintainZones(deps);
        // Another process holds the rollups (a batch of dirty tickets): try again shortly, not in 30 s.
        if (more === null) await new Promise((resolve) => setTimeout(resolve, ZONE_RETRY_MS));
        return more !== false;
      },
      30_000,
      deps.log,
    );
    // Every five minutes: targets gone off track alert their owners (once per period; see checkTargets).
    this.targets = new BackgroundLoop(
      'reporting targets',
      async () => {
        // null: another process is checking this cycle.
        const sent = await checkTargets(deps);
        if (sent) deps.log.info({ sent }, 'reporting: targets off track');
        return false;
      },
      300_000,
      deps.log,
    );
  }

  start(): void {
    this.zones.start();
    this.rollups.start();
    this.targets.start();
  }

  /** Works off what is dirty now (tests and the CLI wait for this). */
  async flush(): Promise<void> {
    await this.zones.kick();
    await this.rollups.kick();
  }

  async stop(): Promise<void> {
    await this.targets.stop();
    await this.rollups.stop();
    await this.zones.stop();
  }
}
