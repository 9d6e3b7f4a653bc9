/** Wiring of the email channel worker: SendGrid, SMTP or the sandbox; SendGrid's event webhook. */
import {
  openChannelProcess,
  OptOutStore,
  providerOrSandbox,
  startFeedbackServer,
  type ChannelProvider,
  type FeedbackServer,
} from '@notify/channel';
import { runMain, type RunningService } from '@notify/runner';
import { emailProviderKind, loadConfig } from './config';
import { createEmailRenderer } from '@notify/channel';
import { sendGridEventsRoute, sendGridPublicKey } from './sendgrid-events';
import { SendGridEmailProvider } from './sendgrid-provider';
import { SmtpEmailProvider } from './smtp-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('email', config);
  const { log } = channel;
  const optOuts = new OptOutStore(channel.db, channel.contacts);
  const kind = emailProviderKind(config);

  let provider: ChannelProvider;
  let feedback: FeedbackServer | undefined;
  if (kind === 'sendgrid') {
    provider = new SendGridEmailProvider({
      apiKey: config.SENDGRID_API_KEY,
      baseUrl: config.SENDGRID_BASE_URL,
      from: config.EMAIL_FROM,
      timeoutMs: config.EMAIL_TIMEOUT_MS,
    });
    if (config.SENDGRID_WEBHOOK_PUBLIC_KEY) {
      const route = sendGridEventsRoute({
        publicKey: sendGridPublicKey(config.SENDGRID_WEBHOOK_PUBLIC_KEY),
        closer: await channel.closer(),
        optOuts,
      });
      feedback = await startFeedbackServer(config.FEEDBACK_PORT, { '/sendgrid/events': route }, (error) =>
        log.error({ err: error }, 'sendgrid event webhook failed'),
      );
      log.info({ feedbackPort: feedback.port }, 'sendgrid event webhook: POST /sendgrid/events');
    } else {
      log.warn(
        'SENDGRID_WEBHOOK_PUBLIC_KEY not set: no event webhook, so every email ends `sent` (no_feedback) after the feedback timeout, never delivered or bounced',
      );
    }
  } else {
    const smtp =
      kind === 'smtp'
        ? () =>
            new SmtpEmailProvider({
              url: config.SMTP_URL,
              from: config.EMAIL_FROM,
              timeoutMs: config.EMAIL_TIMEOUT_MS,
              maxConnections: Math.min(16, config.WORKER_CONCURRENCY),
            })
        : null;
    provider = providerOrSandbox(channel, smtp, config.EMAIL_PROVIDER ? 'EMAIL_PROVIDER=sandbox' : 'no SENDGRID_API_KEY or SMTP_URL');
  }
  if (!config.UNSUBSCRIBE_SECRET) log.warn('UNSUBSCRIBE_SECRET not set: unsubscribe links are not signed');

  const render = createEmailRenderer(channel.templates(), {
    unsubscribeBaseUrl: config.UNSUBSCRIBE_BASE_URL,
    unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
  });
  return channel.run({ provider, render, optOuts }, feedback);
}

runMain(module, main);
