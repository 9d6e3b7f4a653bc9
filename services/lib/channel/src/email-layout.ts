/**
 * Makes every email carry an HTML part and a text part, both with the unsubscribe link. Templates
 * with their own `html` keep it (the footer link is added only if they left it out); a template with
 * only title and body (the shared all.yaml texts) is wrapped in this layout, with the members of a
 * digest listed under a heading per type (the text part has them already, in the rendered body).
 * The layout is markup built here, not a template: every value in it is HTML-escaped, and the
 * template's own html part (already rendered by the engine, outputs escaped) is kept as it is.
 */
import type { RenderedDigest } from './digest-listing';
import { escapeHtml } from './interpolate';
import { localeChain } from './locale';
import type { RenderedMessage } from './provider';

interface Labels {
  unsubscribe: string;
  /** The text part's footer line. */
  unsubscribeLine: (url: string) => string;
}

const EN: Labels = { unsubscribe: 'Unsubscribe', unsubscribeLine: (url) => `Unsubscribe: ${url}` };

const LABELS: Record<string, Labels> = {
  en: EN,
  fr: { unsubscribe: 'Se désabonner', unsubscribeLine: (url) => `Se désabonner : ${url}` },
};

function labelsFor(locale: string): Labels {
  for (const l of localeChain(locale)) {
    if (Object.hasOwn(LABELS, l)) return LABELS[l] as Labels;
  }
  return EN;
}

/** Every value put into the layout, escaped as the html field of a template escapes its outputs. */
const e = escapeHtml;

function head(title: string, body: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(title)}</title></head>` +
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;margin:0;padding:24px">' +
    `<h1 style="font-size:20px;margin:0 0 16px">${e(title)}</h1><p style="white-space:pre-line;margin:0 0 16px">${e(body)}</p>`
  );
}

const footer = (url: string, label: string) =>
  `<p style="font-size:small;color:#5f6b7a;margin:24px 0 0"><a href="${e(url)}">${e(label)}</a></p>`;
const TAIL = '</body></html>';

function digestHtml(digest: RenderedDigest): string {
  const groups = digest.groups.map(
    (g) =>
      `<h2 style="font-size:16px;margin:16px 0 8px">${e(g.heading)}</h2>` +
      (g.lines.length === 0
        ? ''
        : '<ul style="margin:0 0 16px;padding-left:20px">' +
          g.lines.map((line) => `<li style="margin:0 0 4px">${e(line)}</li>`).join('') +
          '</ul>'),
  );
  return groups.join('') + (digest.more ? `<p style="margin:0 0 16px">${e(digest.more)}</p>` : '');
}

/** The rendered message with both parts, each carrying `unsubscribeUrl`; a digest's members are listed in the HTML too. */
export function withEmailParts(message: RenderedMessage, unsubscribeUrl: string, locale: string): RenderedMessage {
  const labels = labelsFor(locale);
  const foot = footer(unsubscribeUrl, labels.unsubscribe);
  let text = message.body;
  let htmlPart: string;
  if (message.html === undefined) {
    const intro = message.digest ? message.digest.summary : message.body;
    htmlPart = head(message.title, intro) + (message.digest ? digestHtml(message.digest) : '') + foot + TAIL;
  } else if (message.html.includes(escapeHtml(unsubscribeUrl))) {
    htmlPart = message.html;
  } else {
    const end = message.html.search(/<\/body>/i);
    htmlPart = end < 0 ? message.html + foot : message.html.slice(0, end) + foot + message.html.slice(end);
  }
  if (!text.includes(unsubscribeUrl)) text += `\n\n${labels.unsubscribeLine(unsubscribeUrl)}`;
  return { ...message, body: text, html: htmlPart, unsubscribeUrl };
}
