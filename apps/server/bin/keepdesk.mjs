#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader: one code path for development and production (docs/adr/0002).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
