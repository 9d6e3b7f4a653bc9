/** Every subscription of a dispatch is gone (404/410 now or earlier): nothing to retry, nothing to replay. */
import { UndeliverableError } from '@notify/channel';

export class SubscriptionGoneError extends UndeliverableError {
  constructor(message: string) {
    super('subscription_gone', message);
  }
}
