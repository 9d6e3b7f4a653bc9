/**
 * A circuit per endpoint, in memory: after `after` consecutive sends that got no answer (timeouts,
 * refused connections), further sends to that endpoint fail at once for `openMs` instead of each
 * waiting out WEBHOOK_TIMEOUT_MS. The runner finishes a chunk only when every record in it is done,
 * so each such wait would hold up every other tenant's deliveries on the partition.
 *
 * After `openMs` one send at a time may test the endpoint, and only a retry (`mayProbe`): a retry
 * that waits holds up other retries only, never the dispatch topic. Any HTTP answer closes the circuit.
 */
export interface CircuitSettings {
  /** Consecutive unanswered sends that open the circuit. */
  after: number;
  /** How long an open circuit refuses before one probe may go. */
  openMs: number;
}

export type Admission = 'send' | 'refuse';

interface CircuitState {
  consecutive: number;
  openUntil: number;
  probing: boolean;
}

export class EndpointCircuits {
  private readonly states = new Map<string, CircuitState>();

  constructor(
    private readonly settings: CircuitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a send to `endpoint` may go now. A probe admitted here must be followed by answered() or unanswered(). */
  admit(endpoint: string, mayProbe: boolean): Admission {
    const state = this.states.get(endpoint);
    if (!state || state.consecutive < this.settings.after) return 'send';
    if (this.now() < state.openUntil || state.probing || !mayProbe) return 'refuse';
    state.probing = true;
    return 'send';
  }

  /** The endpoint answered (any HTTP status): it is reachable. */
  answered(endpoint: string): void {
    this.states.delete(endpoint);
  }

  /** The send got no answer; the circuit opens (again) once `after` of these follow each other. */
  unanswered(endpoint: string): void {
    const state = this.states.get(endpoint) ?? { consecutive: 0, openUntil: 0, probing: false };
    state.consecutive += 1;
    state.probing = false;
    if (state.consecutive >= this.settings.after) state.openUntil = this.now() + this.settings.openMs;
    this.states.set(endpoint, state);
  }

  /** Forget the endpoint's history (it was disabled, so it starts closed once re-enabled). */
  reset(endpoint: string): void {
    this.states.delete(endpoint);
  }

  isOpen(endpoint: string): boolean {
    const state = this.states.get(endpoint);
    return state !== undefined && state.consecutive >= this.settings.after;
  }
}
