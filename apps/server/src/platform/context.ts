import type { Config } from './config';
import type { DatabaseHandle } from './db';
import type { EventBus, OutboxDispatcher } from './events';
import type { JobQueue } from './jobs';
import type { LiveHub } from './live';
import type { Logger } from './logging';
import type { Mailer } from './mail';
import type { BlobStorage } from './storage';

/** What services need from the platform, built once at start-up and passed explicitly. */
export interface Deps {
  config: Config;
  database: DatabaseHandle;
  jobs: JobQueue;
  bus: EventBus;
  outbox: OutboxDispatcher;
  live: LiveHub;
  mailer: Mailer;
  storage: BlobStorage;
  log: Logger;
  now: () => Date;
}
