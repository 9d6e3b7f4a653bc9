export { StatefulWorker, type StatefulDeps } from './stateful-worker';
export { startStatefulService, type RunningStatefulService } from './stateful-service';
export { JournaledStore } from './journaled-store';
export { transactionalIdOf } from './restore';
export type { Changelog, PartitionContext, PartitionProcessor, StatefulSettings, StatefulSpec, TableView } from './types';
