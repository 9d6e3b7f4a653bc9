/**
 * Warnings and errors the pipeline's services logged during the run, counted by message: retries,
 * rejected records and produce failures explain a slow or failed run better than any figure.
 */
import type { ServiceProcess } from '../../../tests/support/services';

const WARN = 40;

export function countProblems(services: readonly ServiceProcess[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const service of services) {
    for (const line of service.output.join('').split('\n')) {
      if (!line.startsWith('{')) continue;
      let entry: { level?: unknown; msg?: unknown };
      try {
        entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
      } catch {
        continue; // a line split across two output chunks
      }
      if (typeof entry.level !== 'number' || entry.level < WARN) continue;
      const byMessage = (counts[service.name] ??= {});
      const message = typeof entry.msg === 'string' ? entry.msg : '(no message)';
      byMessage[message] = (byMessage[message] ?? 0) + 1;
    }
  }
  return counts;
}
