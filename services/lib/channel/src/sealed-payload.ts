/**
 * Opens the sealed fields of a dispatch's payload for rendering only: a field `<name>_sealed` (see
 * Sealer in @notify/schemas) is opened into `<name>` for the template, and the rendered message
 * lists the opened values as `secrets`, so whatever records a message (the sandbox outbox) blanks
 * them, and its structured data keeps the payload as it came, sealed. Only the worker that sends
 * the message holds the key; nothing else in the pipeline can read the value.
 */
import { PermanentError } from '@notify/errors';
import { isSealed, SealError, type Dispatch, type Sealer } from '@notify/schemas';
import type { RenderedMessage } from './provider';

const SUFFIX = '_sealed';
/** What the outbox shows instead of a secret. */
export const REDACTED = '••••••';

type Render = (dispatch: Dispatch) => RenderedMessage;

function sealedFields(payload: unknown): Array<[string, string]> {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return [];
  return Object.entries(payload).filter((e): e is [string, string] => e[0].endsWith(SUFFIX) && isSealed(e[1]));
}

/** `render` with sealed payload fields opened; without a sealer, a sealed payload fails the notification for good. */
export function openingSealedFields(render: Render, sealer: Sealer | undefined): Render {
  return (d) => {
    let payload: unknown;
    try {
      payload = JSON.parse(d.payload);
    } catch {
      return render(d);
    }
    const sealed = sealedFields(payload);
    if (sealed.length === 0) return render(d);
    if (!sealer)
      throw new PermanentError('sealed_payload', 'the payload holds sealed fields and this worker has no sealing key (SEALING_KEYS)');
    const opened: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
    const secrets: string[] = [];
    for (const [name, value] of sealed) {
      let plain: string;
      try {
        plain = sealer.open(value, d.recipient);
      } catch (error) {
        throw new PermanentError('sealed_payload', `${name} does not open: ${error instanceof SealError ? error.message : String(error)}`, {
          cause: error,
        });
      }
      delete opened[name];
      opened[name.slice(0, -SUFFIX.length)] = plain;
      secrets.push(plain);
    }
    const message = render({ ...d, payload: JSON.stringify(opened) });
    return { ...message, data: { ...message.data, payload }, secrets };
  };
}

/** The message as it may be recorded: every secret blanked in its texts. */
export function redacted(message: RenderedMessage): RenderedMessage {
  const secrets = (message.secrets ?? []).filter((s) => s.length > 0);
  if (secrets.length === 0) return message;
  const blank = (text: string) => secrets.reduce((t, s) => t.split(s).join(REDACTED), text);
  return {
    ...message,
    title: blank(message.title),
    body: blank(message.body),
    ...(message.html !== undefined ? { html: blank(message.html) } : {}),
  };
}
