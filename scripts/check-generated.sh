#!/usr/bin/env bash
# Fails when the committed migrations or OpenAPI document do not match the code, or when
# package-lock.json lacks the platform packages `npm ci` needs (see scripts/complete-lockfile.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/complete-lockfile.mjs --check
npx drizzle-kit generate --config apps/server/drizzle.config.ts >/dev/null
node --import tsx scripts/openapi.ts
if [ -n "$(git status --porcelain -- apps/server/migrations docs/openapi.json)" ]; then
  echo "Generated files are out of date; run 'npm run db:generate' and 'npm run openapi', then commit:" >&2
  git status --porcelain -- apps/server/migrations docs/openapi.json >&2
  exit 1
fi
echo "migrations and docs/openapi.json are up to date"
