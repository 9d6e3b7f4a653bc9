/**
 * The sandbox provider of every channel: records the rendered message in the outbox table instead of
 * sending it, so the demo and staging run without credentials. The outbox row is the delivery; a
 * message's secrets (a one-time code) are blanked in it.
 */
import type { Dispatch } from '@notify/schemas';
import type { OutboxStore } from './outbox';
import type { ChannelProvider, RenderedMessage, SendResult } from './provider';
import { redacted } from './sealed-payload';

export class SandboxProvider implements ChannelProvider {
  readonly name = 'sandbox';
  /** The outbox is keyed by notification id, so recording twice is harmless. */
  readonly dedupesByIdempotencyKey = true;
  readonly acceptanceIsDelivery = true;

  constructor(
    private readonly channel: string,
    private readonly outbox: OutboxStore,
  ) {}

  async send(dispatch: Dispatch, sent: RenderedMessage): Promise<SendResult> {
    // A one-time code is for the person only: the outbox row, readable by operators, shows it blanked.
    const message = redacted(sent);
    const seq = await this.outbox.record({
      notification_id: dispatch.notification_id,
      channel: this.channel,
      tenant: dispatch.tenant,
      recipient: dispatch.recipient,
      address: dispatch.address,
      subject: message.title,
      body: message.body,
      html: message.html ?? null,
      payload: message.data,
    });
    return { providerRef: `outbox:${seq}` };
  }
}
