/** The summary table on stdout and the same results as JSON in bench-results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../tests/support/repo';
import type { BenchArgs } from './args';
import type { Machine } from './machine';
import type { PipelineResult } from './pipeline-run';
import type { RelayResult } from './relay';
import type { LatencySummary } from './stats';

export interface BenchResults {
  startedAt: string;
  runId: string;
  args: BenchArgs;
  machine: Machine;
  relay: RelayResult | null;
  pipeline: PipelineResult | null;
  /** Pipeline events/s over relay records/s. */
  pipelineToRelayRatio: number | null;
  error: string | null;
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

function latencyCells(l: LatencySummary): string[] {
  return [fixed(l.p50), fixed(l.p95), fixed(l.p99), fixed(l.max)];
}

export function printSummary(r: BenchResults): void {
  const widths = [44, 8, 8, 10, 8, 8, 8, 8];
  const lines = [
    '',
    `Benchmark ${r.startedAt} (run ${r.runId})`,
    `machine: ${r.machine.cpus} cpus (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, node ${r.machine.node}; everything on this one box`,
    `stack:   ${r.machine.kafka}; ${r.machine.registry}; ${r.machine.postgres}`,
    `broker:  ${r.machine.brokers}`,
    `code:    ${r.machine.git.commit.slice(0, 12)} with ${r.machine.git.changedFiles} changed/untracked files; load average ${r.machine.loadAverage1m}`,
    r.machine.foreignProcesses.length > 0
      ? `WARNING: other pipeline/test processes were running: ${r.machine.foreignProcesses.length}`
      : 'no other pipeline or test processes were running at the start',
    '',
    row(['', 'records', 'seconds', 'per sec', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], widths),
  ];
  if (r.relay) {
    lines.push(
      row(
        [
          `relay, 1 no-op hop (${r.relay.recordBytes} B records)`,
          String(r.relay.records),
          fixed(r.relay.seconds, 1),
          fixed(r.relay.recordsPerSecond),
          ...latencyCells(r.relay.latencyMs),
        ],
        widths,
      ),
    );
  }
  if (r.pipeline) {
    const p = r.pipeline;
    lines.push(
      row(
        [
          'pipeline, event -> last terminal `at`',
          String(p.events),
          fixed(p.seconds, 1),
          fixed(p.eventsPerSecond),
          ...latencyCells(p.latencyToTerminalAtMs),
        ],
        widths,
      ),
    );
    lines.push(row(['pipeline, event -> last terminal status read', '', '', '', ...latencyCells(p.latencyToStatusReadMs)], widths));
  }
  lines.push('');
  if (r.relay) lines.push(`relay source alone: ${fixed(r.relay.produceRecordsPerSecond)} records/s acknowledged`);
  if (r.pipeline) {
    lines.push(
      `pipeline producer alone: ${fixed(r.pipeline.produceEventsPerSecond)} events/s acknowledged; warm-up ${fixed(r.pipeline.warmupSeconds, 1)} s`,
    );
    lines.push(
      `delivered: ${r.pipeline.delivered}/${r.pipeline.events} events (x2 notifications); NOT delivered: ${r.pipeline.notDelivered}`,
    );
    const perTopic = Object.entries(r.pipeline.recordsPerEvent).sort((a, b) => b[1] - a[1]);
    const records = perTopic.reduce((sum, [, n]) => sum + n, 0);
    lines.push(
      `per event: ${fixed(records, 1)} Kafka records (${perTopic.map(([t, n]) => `${t.replace('notifications.', '')} ${fixed(n, 2)}`).join(', ')})`,
    );
    lines.push(
      `           ${r.pipeline.postgresCommitsPerEvent === null ? '?' : fixed(r.pipeline.postgresCommitsPerEvent, 2)} Postgres transactions (the whole database, during the measurement)`,
    );
    for (const example of r.pipeline.notDeliveredExamples) lines.push(`  ${example}`);
  }
  if (r.pipelineToRelayRatio !== null) lines.push(`pipeline / raw relay throughput: ${fixed(r.pipelineToRelayRatio, 3)}`);
  const cpu = r.pipeline?.cpu;
  if (cpu) {
    lines.push(
      '',
      `CPU during the pipeline measurement: ${fixed(cpu.wallSeconds, 1)} s, all ${cpu.cores} cores ${fixed(cpu.machineBusyPercent, 1)}% busy (/proc/stat)`,
    );
    const outside = Object.entries(cpu.sharePercent)
      .filter(([group]) => group.startsWith('other'))
      .reduce((sum, [, share]) => sum + share, 0);
    lines.push(`  processes outside the benchmark and the stack used ${fixed(outside, 1)}% of process CPU time`);
    lines.push('  share  %1core  process (share of all process CPU time; %1core as sampled per process)');
    for (const [group, share] of Object.entries(cpu.sharePercent)) {
      if (share >= 0.5)
        lines.push(`  ${fixed(share, 1).padStart(5)}  ${fixed(cpu.percentOfOneCore[group] ?? Number.NaN, 1).padStart(6)}  ${group}`);
    }
  }
  const problems = Object.entries(r.pipeline?.serviceProblems ?? {});
  if (problems.length > 0) {
    lines.push('', 'warnings/errors logged by the services:');
    for (const [service, byMessage] of problems)
      for (const [msg, count] of Object.entries(byMessage)) lines.push(`  ${service}: ${count} x ${msg}`);
  }
  if (r.error) lines.push('', `FAILED: ${r.error}`);
  console.log(lines.join('\n'));
}

export function writeResults(r: BenchResults): string {
  const dir = join(REPO_ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${r.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
