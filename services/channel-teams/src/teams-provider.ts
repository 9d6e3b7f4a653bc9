/**
 * Posts an Adaptive Card to a Teams Workflows webhook ("When a Teams webhook request is received").
 * The flow answers 202 once it accepted the run; errors come as JSON `{error: {code, message}}`.
 */
import type { ChannelProvider, RenderedMessage, SendResult } from '@notify/channel';
import { excerpt, httpFailure, isSuccess, jsonOf, type GuardedJsonClient, type TenantDestinations } from '@notify/provider-http';
import { teamOf, type Dispatch } from '@notify/schemas';
import { workflowsMessage } from './adaptive-card';

export interface TeamsProviderOptions {
  http: GuardedJsonClient;
  destinations: TenantDestinations;
}

export class TeamsProvider implements ChannelProvider {
  readonly name = 'teams';
  readonly dedupesByIdempotencyKey = false;
  /** The flow accepted the card; Workflows reports nothing later, so this is the last word. */
  readonly acceptanceIsDelivery = true;

  constructor(private readonly options: TeamsProviderOptions) {}

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const url = this.options.http.checkDestination(
      this.options.destinations.require(dispatch, 'teams workflow webhook', teamOf(dispatch.user_id)),
      'teams',
    );
    const reply = await this.options.http.postJson(url, workflowsMessage(dispatch, message));
    if (isSuccess(reply)) {
      const run = reply.headers['x-ms-workflow-run-id'];
      return { providerRef: typeof run === 'string' ? run : null };
    }
    const answer = jsonOf(reply) as { error?: { code?: unknown; message?: unknown } } | undefined;
    const reason = answer?.error ? `${String(answer.error.code ?? '')} ${String(answer.error.message ?? '')}`.trim() : excerpt(reply.text);
    throw httpFailure('teams', reply, reason);
  }

  close(): Promise<void> {
    return this.options.http.close();
  }
}
