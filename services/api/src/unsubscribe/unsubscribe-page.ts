/**
 * The two small pages a person sees after following an emailed unsubscribe link in a browser. The
 * only value shown is the channel, one of CHANNELS (the query schema allows nothing else), so no
 * request data reaches the markup.
 */
import type { FastifyReply } from 'fastify';
import type { Channel } from '@notify/schemas';

const STYLE =
  'body{font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;max-width:32rem;margin:3rem auto;padding:0 1rem}' +
  'button{font-size:1rem;padding:.5rem 1.25rem;cursor:pointer}';

function page(title: string, content: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<meta name="robots" content="noindex"><title>${title}</title><style>${STYLE}</style></head><body><h1>${title}</h1>${content}</body></html>`
  );
}

/**
 * Asks before changing anything: mail scanners and link previews fetch links with GET, and a GET
 * that unsubscribed would unsubscribe people who never clicked. The form posts back to this same
 * URL (no action attribute), query and signature included, with the RFC 8058 body.
 */
export function confirmationPage(channel: Channel): string {
  return page(
    `Unsubscribe from ${channel} notifications?`,
    `<p>You will stop receiving notifications by ${channel}. You can turn them back on in your notification settings.</p>` +
      '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>',
  );
}

export function doneHtml(channel: Channel): string {
  return page(
    'You are unsubscribed',
    `<p>You will no longer receive notifications by ${channel}. You can turn them back on in your notification settings.</p>`,
  );
}

/** Pages carrying a signed link: never cached, never sent on as a Referer, never framed, no scripts. */
export function sendPage(reply: FastifyReply, html: string): FastifyReply {
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .header('x-robots-tag', 'noindex')
    .send(html);
}
