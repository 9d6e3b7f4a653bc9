/**
 * What a browser's service worker receives: a small JSON document it turns into
 * `showNotification(title, {body, tag, data})`. The tag groups notifications of one dedupe key (else
 * it is the notification's own id). The plaintext stays under what fits one aes128gcm record of the
 * 4 KB push services accept.
 */
import { fitBody } from '../payload-fit';
import type { PushContent, PushData } from '../push-payload';

const PLAINTEXT_LIMIT = 3_800;

export interface WebPayload {
  title: string;
  body: string;
  tag: string;
  data: PushData;
}

export function webPayload(content: PushContent): string {
  const build = (body: string): WebPayload => ({
    title: content.title,
    body,
    tag: content.collapseKey ?? content.data.notification_id,
    data: content.data,
  });
  const body = fitBody(content.body, PLAINTEXT_LIMIT, (b) => Buffer.byteLength(JSON.stringify(build(b))));
  return JSON.stringify(build(body));
}
