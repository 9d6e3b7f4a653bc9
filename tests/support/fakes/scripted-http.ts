/**
 * The names the HTTP-only fakes (Twilio, SendGrid, webhook receivers) and the provider contract use
 * for the one scripted server: a fake whose successful answers come from a provider-specific function.
 */
import { startScriptedServer, type FakeReply, type FakeRequest, type ScriptedServer } from './scripted-server';

export type { FakeRequest } from './scripted-server';
export type ScriptedResponse = FakeReply;
/** What the provider contract needs from any fake provider server. */
export type FakeProviderServer = Omit<ScriptedServer, 'maxInFlight'>;
export type ScriptedHttpFake = ScriptedServer;

export function startScriptedFake(
  succeed: (request: FakeRequest) => ScriptedResponse,
  options: { latencyMs?: number } = {},
): Promise<ScriptedHttpFake> {
  return startScriptedServer({ handle: succeed, latencyMs: options.latencyMs });
}
