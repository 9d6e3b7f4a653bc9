/**
 * Makes every email carry an HTML part and a text part, both with the unsubscribe link. Templates
 * with their own `html` keep it (the footer link is added only if they left it out); a template with
 * only title and body (the shared all.yaml texts) is wrapped in this layout, with the members of a
 * digest listed under a heading per type (the text part has them already, in the rendered body).
 * Every value is HTML-escaped as it is interpolated.
 */
import { escapeHtml, interpolate, localeChain, type RenderedDigest, type RenderedMessage } from '@notify/channel';

interface Labels {
  unsubscribe: string;
  /** The text part's footer line, `{{url}}` the link. */
  unsubscribeLine: string;
}

const EN: Labels = { unsubscribe: 'Unsubscribe', unsubscribeLine: 'Unsubscribe: {{url}}' };

const LABELS: Record<string, Labels> = {
  en: EN,
  fr: { unsubscribe: 'Se désabonner', unsubscribeLine: 'Se désabonner : {{url}}' },
};

function labelsFor(locale: string): Labels {
  for (const l of localeChain(locale)) {
    if (Object.hasOwn(LABELS, l)) return LABELS[l] as Labels;
  }
  return EN;
}

const HEAD = '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{title}}</title></head>'
  + '<body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;margin:0;padding:24px">'
  + '<h1 style="font-size:20px;margin:0 0 16px">{{title}}</h1><p style="white-space:pre-line;margin:0 0 16px">{{body}}</p>';
const GROUP = '<h2 style="font-size:16px;margin:16px 0 8px">{{heading}}</h2>';
const LIST = '<ul style="margin:0 0 16px;padding-left:20px">';
const LINE = '<li style="margin:0 0 4px">{{line}}</li>';
const MORE = '<p style="margin:0 0 16px">{{more}}</p>';
const FOOTER = '<p style="font-size:small;color:#5f6b7a;margin:24px 0 0"><a href="{{url}}">{{label}}</a></p>';
const TAIL = '</body></html>';

const fill = (template: string, data: object): string => interpolate(template, data, escapeHtml);

function digestHtml(digest: RenderedDigest): string {
  const groups = digest.groups.map((g) => fill(GROUP, g) + (g.lines.length === 0 ? '' : LIST + g.lines.map((line) => fill(LINE, { line })).join('') + '</ul>'));
  return groups.join('') + (digest.more ? fill(MORE, { more: digest.more }) : '');
}

/** The rendered message with both parts, each carrying `unsubscribeUrl`; a digest's members are listed in the HTML too. */
export function withEmailParts(message: RenderedMessage, unsubscribeUrl: string, locale: string): RenderedMessage {
  const labels = labelsFor(locale);
  const footer = fill(FOOTER, { url: unsubscribeUrl, label: labels.unsubscribe });
  let text = message.body;
  let htmlPart: string;
  if (message.html === undefined) {
    const intro = message.digest ? message.digest.summary : message.body;
    htmlPart = fill(HEAD, { title: message.title, body: intro }) + (message.digest ? digestHtml(message.digest) : '') + footer + TAIL;
  } else if (message.html.includes(escapeHtml(unsubscribeUrl))) {
    htmlPart = message.html;
  } else {
    const end = message.html.search(/<\/body>/i);
    htmlPart = end < 0 ? message.html + footer : message.html.slice(0, end) + footer + message.html.slice(end);
  }
  if (!text.includes(unsubscribeUrl)) text += `\n\n${interpolate(labels.unsubscribeLine, { url: unsubscribeUrl })}`;
  return { ...message, body: text, html: htmlPart, unsubscribeUrl };
}
