/**
 * `npm run bench` (through scripts/bench.sh, which makes sure the stack is up and provisioned):
 * measures the broker's no-op relay ceiling, then the whole pipeline end to end, in one run, and
 * prints and saves both. See docs/BENCHMARKS.md for what each figure means.
 *
 * Exit codes: 0 all delivered, 1 a measurement failed or events were not delivered, 2 bad arguments,
 * 124 the overall timeout passed, 130 interrupted.
 */
import { AvroCodec, createKafka } from '@notify/kafka';
import { stackEnv } from '../stack-env';
import { parseArgs, UsageError, type BenchArgs } from './args';
import { benchKafkaLogger } from './kafka-logger';
import { describeMachine } from './machine';
import { runPipeline } from './pipeline-run';
import { runRelay } from './relay';
import { printSummary, writeResults, type BenchResults } from './report';
import { Resources } from './resources';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function measure(args: BenchArgs, results: BenchResults, resources: Resources): Promise<void> {
  const { brokers, registryUrl } = stackEnv(process.env);
  const kafka = createKafka({ clientId: 'bench', brokers, logger: benchKafkaLogger });
  const codec = await AvroCodec.connect(registryUrl, ['notifications.events']);
  const common = { kafka, codec, args, runId: results.runId };
  if (!args.skipRelay) {
    // Each phase stops its own clients and processes before the next starts, so they do not compete.
    const phase = resources.child('relay');
    try {
      results.relay = await runRelay({ ...common, resources: phase });
    } finally {
      await phase.closeAll();
    }
  }
  if (!args.skipPipeline) {
    const phase = resources.child('pipeline');
    try {
      results.pipeline = await runPipeline({ codec, args, runId: results.runId, brokers, resources: phase });
    } finally {
      await phase.closeAll();
    }
  }
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message.trim());
    return 2;
  }
  const startedAt = new Date().toISOString();
  const results: BenchResults = {
    startedAt,
    runId: Date.now().toString(36),
    args,
    machine: describeMachine(stackEnv(process.env).databaseUrl, stackEnv(process.env).brokers),
    relay: null,
    pipeline: null,
    pipelineToRelayRatio: null,
    error: null,
  };
  const resources = new Resources();

  let finishing: Promise<number> | undefined;
  const finish = (error: string | null, code: number): Promise<number> => {
    finishing ??= (async () => {
      results.error ??= error;
      await resources.closeAll();
      if (results.relay && results.pipeline)
        results.pipelineToRelayRatio = results.pipeline.eventsPerSecond / results.relay.recordsPerSecond;
      printSummary(results);
      console.log(`\nresults written to ${writeResults(results)}`);
      if (results.error) return code === 0 ? 1 : code;
      return results.pipeline && results.pipeline.notDelivered > 0 ? 1 : 0;
    })();
    return finishing;
  };

  // A deadline or Ctrl-C still stops every client and service process before exiting.
  const deadline = setTimeout(
    () => void finish(`overall timeout of ${args.overallTimeoutMs / 1000} s passed`, 124).then((code) => process.exit(code)),
    args.overallTimeoutMs,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void finish(`interrupted by ${signal}`, 130).then((code) => process.exit(code)));
  }
  try {
    await measure(args, results, resources);
    return await finish(null, 0);
  } catch (error) {
    return await finish(message(error), 1);
  } finally {
    clearTimeout(deadline);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${message(error)}`);
    process.exit(1);
  },
);
