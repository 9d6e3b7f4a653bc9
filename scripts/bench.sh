#!/usr/bin/env bash
# `npm run bench [-- --events N ...]`: makes sure the local stack is up and provisioned, then runs
# the relay and pipeline benchmark (scripts/src/bench/main.ts; options in its args.ts, figures
# explained in docs/BENCHMARKS.md). Results are printed and saved under bench-results/.
#
# The pipeline measurement runs in a Kafka namespace of its own (KAFKA_NAMESPACE, created and
# dropped by the run), so it neither sees nor feeds any other pipeline on the same broker.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Idempotent; progress goes to stderr, the exports on stdout are the defaults we use anyway.
bash infra/local/stack.sh up >/dev/null
npx tsx scripts/src/provision.ts

# kafkajs prints a partitioner notice on every client otherwise.
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec npx tsx scripts/src/bench/main.ts "$@"
