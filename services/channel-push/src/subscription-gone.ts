/** Every subscription of a dispatch is gone (404/410 now or earlier): nothing to retry, nothing to replay. */
import { PermanentError } from '@notify/errors';

export class SubscriptionGoneError extends PermanentError {
  constructor(message: string) {
    super('subscription_gone', message);
  }
}
