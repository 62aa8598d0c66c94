import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** A fresh database for this run of the PostgreSQL suite, dropped afterwards. */
export default async function setup(project: TestProject) {
  const url = await createDatabase('keepdesk_test');
  project.provide('postgresUrl', url);
  return async () => {
    await dropDatabase(url);
  };
}
