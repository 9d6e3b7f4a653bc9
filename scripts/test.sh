#!/usr/bin/env bash
# The whole test suite: installs dependencies, checks generated types and types, runs the unit tests,
# then the broker-backed tests against a real Kafka, schema registry and Postgres (the jest global
# setup starts the local stack when it is not running and stops it again afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages"
  npm install --no-audit --no-fund
fi

# The console tests drive Debian's Chromium through playwright-core (no browser download of its own).
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium for the console tests"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

# The API serves the browser inbox client as built, and refuses to start without a current build.
echo "== browser inbox client build"
npm run build --silent -w @notify/inbox-client

echo "== generated types are in sync with schemas/avro"
npx tsx scripts/src/gen-types.ts --check

echo "== type check"
npx turbo run typecheck --output-logs=errors-only

echo "== format (prettier --check) and lint (eslint, zero warnings)"
npm run --silent format:check
npm run --silent lint

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
echo "== unit tests"
npx jest --selectProjects unit --json --outputFile="$results/unit.json" "$@" || status=1
echo "== broker-backed tests (real Kafka, registry, Postgres)"
npx jest --selectProjects broker --runInBand --json --outputFile="$results/broker.json" "$@" || status=1

# One plain summary line over both runs, for CI logs.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results/unit.json" "$results/broker.json"
exit $status
