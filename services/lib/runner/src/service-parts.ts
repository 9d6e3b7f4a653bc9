/** What a service process is made of and what starting one gives back; shared by every way of starting one. */
import type { BaseWorkerConfig } from './config';
import type { Logger } from './logger';
import type { WorkerMetrics } from './metrics';

export interface RunningService {
  opsPort: number;
  stop(): Promise<void>;
}

export interface ServiceParts {
  service: string;
  config: BaseWorkerConfig;
  log: Logger;
  metrics: WorkerMetrics;
}
