/**
 * Who used the CPUs during a measurement, from /proc: the broker, the registry, Postgres, each of the
 * pipeline's service processes, the bench itself, and everything else. On a 2-core box where all of
 * them compete, this is the first thing to look at when a figure is low. Linux only; elsewhere the
 * report simply has no CPU section.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** USER_HZ; 100 on every Linux the stack runs on (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  at: number;
  ticksByPid: Map<number, { group: string; ticks: number }>;
  machineBusyTicks: number;
  machineTotalTicks: number;
}

export interface CpuUsage {
  wallSeconds: number;
  cores: number;
  /** Share of all cores that was busy, 0..100. */
  machineBusyPercent: number;
  /** Per group, in percent of ONE core (so 2 cores can add up to 200), as the kernel sampled it. */
  percentOfOneCore: Record<string, number>;
  /**
   * Per group, its share of all process CPU time in the window (sums to 100). Per-process tick
   * sampling in a VM can under-count (here two busy loops read 151% of one core while /proc/stat
   * said both cores were busy), so shares are the figure to compare.
   */
  sharePercent: Record<string, number>;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process exited between listing and reading
  }
}

function groupOf(pid: number, ppid: number, comm: string, cmdline: string, benchPid: number): string {
  if (pid === benchPid) return 'bench process (producer, status reader, webhook receiver)';
  const stack = /-Dnotify\.stack\.service=(\w+)/.exec(cmdline);
  if (stack) return stack[1] === 'kafka' ? 'kafka broker' : `${stack[1]}`;
  if (comm === 'postgres') return 'postgres';
  const service = /services\/([\w-]+)\/src\/main\.ts/.exec(cmdline);
  // Only the bench's own children: a test run elsewhere starts the same services.
  if (service && ppid === benchPid) return `service ${service[1]}`;
  return `other (${comm})`;
}

export function snapshotCpu(benchPid: number = process.pid): CpuSnapshot | null {
  const machine = read('/proc/stat');
  if (machine === null) return null;
  // First line: "cpu  user nice system idle iowait irq softirq steal ..."
  const fields = (machine.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const ticksByPid = new Map<number, { group: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    const cmdline = read(`/proc/${entry}/cmdline`);
    if (stat === null || cmdline === null) continue;
    // comm is in parentheses and may contain spaces; the numeric fields follow the last ')'.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const ticks = Number(rest[11]) + Number(rest[12]); // utime + stime
    const pid = Number(entry);
    ticksByPid.set(pid, { group: groupOf(pid, ppid, comm, cmdline.replace(/\0/g, ' '), benchPid), ticks });
  }
  return { at: Date.now(), ticksByPid, machineBusyTicks: total - idle, machineTotalTicks: total };
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUsage {
  const wallSeconds = (after.at - before.at) / 1000;
  const byGroup: Record<string, number> = {};
  for (const [pid, now] of after.ticksByPid) {
    // A process born during the window counts from zero; one that died in it is lost (rare here).
    const used = now.ticks - (before.ticksByPid.get(pid)?.ticks ?? 0);
    byGroup[now.group] = (byGroup[now.group] ?? 0) + used;
  }
  const percentOfOneCore: Record<string, number> = {};
  const sharePercent: Record<string, number> = {};
  const allTicks = Object.values(byGroup).reduce((a, b) => a + b, 0);
  for (const [group, ticks] of Object.entries(byGroup)
    .filter(([, t]) => t > 0)
    .sort((a, b) => b[1] - a[1])) {
    percentOfOneCore[group] = Math.round((ticks / TICKS_PER_SECOND / wallSeconds) * 1000) / 10;
    sharePercent[group] = allTicks > 0 ? Math.round((ticks / allTicks) * 1000) / 10 : 0;
  }
  const totalTicks = after.machineTotalTicks - before.machineTotalTicks;
  return {
    wallSeconds,
    cores: cpus().length,
    machineBusyPercent:
      totalTicks > 0 ? Math.round(((after.machineBusyTicks - before.machineBusyTicks) / totalTicks) * 1000) / 10 : Number.NaN,
    percentOfOneCore,
    sharePercent,
  };
}
