/**
 * A local SMTP server (the `smtp-server` package) that accepts mail, keeps each message's raw text,
 * and can be scripted like the HTTP fakes: reject the next messages with an SMTP reply code, or hang.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { FakeProviderServer, FakeRequest, ScriptedResponse } from './scripted-http';

export interface SmtpFake extends FakeProviderServer {
  /** smtp://127.0.0.1:<port> */
  smtpUrl: string;
}

export function smtpReply(code: number, message: string): ScriptedResponse {
  return { status: code, body: message };
}

export async function startSmtpFake(options: { latencyMs?: number } = {}): Promise<SmtpFake> {
  const requests: FakeRequest[] = [];
  const accepted: FakeRequest[] = [];
  const scripted: Array<ScriptedResponse | 'hang'> = [];
  let latencyMs = options.latencyMs ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const request: FakeRequest = {
          method: 'DATA',
          path: (session.envelope.rcptTo ?? []).map((r) => r.address).join(','),
          headers: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '' },
          body: raw.toString('utf8'),
          raw,
        };
        requests.push(request);
        const next = scripted.shift();
        if (next === 'hang') return;
        setTimeout(() => {
          if (next) {
            const error = new Error(String(next.body ?? 'rejected')) as Error & { responseCode: number };
            error.responseCode = next.status;
            callback(error);
            return;
          }
          accepted.push(request);
          callback();
        }, latencyMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    requests,
    accepted,
    failNext: (...responses) => scripted.push(...responses),
    hangNext: (count = 1) => scripted.push(...Array.from({ length: count }, () => 'hang' as const)),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
