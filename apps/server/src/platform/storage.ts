import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from './db';
import { notFound } from './errors';
import { blobs } from './platform.tables';

/**
 * Where file contents live (attachments, raw e-mails). Callers keep the key; the storage keeps the bytes.
 * Keys are generated here, so no caller-chosen name ever reaches a file path.
 */
export interface BlobStorage {
  put(data: Buffer): Promise<string>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

const KEY = /^\d{4}-\d{2}\/[0-9a-f-]{36}$/;

function newKey(now: Date): string {
  return `${now.toISOString().slice(0, 7)}/${randomUUID()}`;
}

function assertKey(key: string): void {
  if (!KEY.test(key)) throw notFound('file', key);
}

/** Files under a directory, one folder per month; written to a temporary name first, then renamed. */
export class DiskStorage implements BlobStorage {
  /** Directories made already: a busy intake writes many files into the same one. */
  private readonly made = new Set<string>();

  constructor(private readonly root: string) {}

  async put(data: Buffer): Promise<string> {
    const key = newKey(new Date());
    const target = path.join(this.root, key);
    const dir = path.dirname(target);
    if (!this.made.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.made.add(dir);
    }
    const partial = `${target}.partial`;
    await writeFile(partial, data);
    await rename(partial, target);
    return key;
  }

  async get(key: string): Promise<Buffer> {
    assertKey(key);
    try {
      return await readFile(path.join(this.root, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('file', key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await rm(path.join(this.root, key), { force: true });
  }
}

/** Files as rows of `blobs`: for many stateless processes without a shared disk. */
export class DatabaseStorage implements BlobStorage {
  constructor(private readonly database: DatabaseHandle) {}

  async put(data: Buffer): Promise<string> {
    const key = newKey(new Date());
    await this.database.db.insert(blobs).values({ key, data });
    return key;
  }

  async get(key: string): Promise<Buffer> {
    const [row] = await this.database.db.select({ data: blobs.data }).from(blobs).where(eq(blobs.key, key));
    if (!row) throw notFound('file', key);
    return row.data;
  }

  async delete(key: string): Promise<void> {
    await this.database.db.delete(blobs).where(eq(blobs.key, key));
  }
}

export function createStorage(
  config: { storage: 'disk' | 'database'; dataDir: string },
  database: DatabaseHandle,
): BlobStorage {
  return config.storage === 'database'
    ? new DatabaseStorage(database)
    : new DiskStorage(path.join(config.dataDir, 'files'));
}
