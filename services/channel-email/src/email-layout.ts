/**
 * Makes every email carry an HTML part and a text part, both with the unsubscribe link. Templates
 * with their own `html` keep it (the footer link is added only if they left it out); a template with
 * only title and body (the shared all.yaml texts) is wrapped in this layout, with the members of a
 * digest listed as a report. Every value is HTML-escaped as it is interpolated.
 */
import { escapeHtml, interpolate, localeChain, type RenderedMessage } from '@notify/channel';
import type { DigestReport } from './digest-report';

interface Labels {
  unsubscribe: string;
  /** The text part's footer line, `{{url}}` the link. */
  unsubscribeLine: string;
  time: string;
  severity: string;
  notification: string;
  /** `{{count}}` members not listed. */
  more: string;
}

const EN: Labels = {
  unsubscribe: 'Unsubscribe', unsubscribeLine: 'Unsubscribe: {{url}}', time: 'Time', severity: 'Severity', notification: 'Notification', more: 'and {{count}} more',
};

const LABELS: Record<string, Labels> = {
  en: EN,
  fr: {
    unsubscribe: 'Se désabonner', unsubscribeLine: 'Se désabonner : {{url}}', time: 'Heure', severity: 'Gravité', notification: 'Notification', more: 'et {{count}} de plus',
  },
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
const TABLE_HEAD = '<table cellpadding="6" style="border-collapse:collapse;margin:0 0 16px"><thead><tr style="background:#f0f2f5">'
  + '<th align="left">{{time}}</th><th align="left">{{severity}}</th><th align="left">{{notification}}</th></tr></thead><tbody>';
const TABLE_ROW = '<tr style="border-top:1px solid #dde1e6"><td style="white-space:nowrap">{{time}}</td><td>{{severity}}</td><td>{{title}}</td></tr>';
const MORE = '<p style="margin:0 0 16px">{{more}}</p>';
const FOOTER = '<p style="font-size:small;color:#5f6b7a;margin:24px 0 0"><a href="{{url}}">{{label}}</a></p>';
const TAIL = '</body></html>';

const fill = (template: string, data: object): string => interpolate(template, data, escapeHtml);

function reportHtml(report: DigestReport, labels: Labels): string {
  if (report.rows.length === 0 && report.more === 0) return '';
  const table = report.rows.length === 0 ? '' : fill(TABLE_HEAD, labels) + report.rows.map((row) => fill(TABLE_ROW, row)).join('') + '</tbody></table>';
  return table + (report.more > 0 ? fill(MORE, { more: interpolate(labels.more, { count: report.more }) }) : '');
}

function reportText(report: DigestReport, labels: Labels): string {
  const lines = report.rows.map((row) => `- ${row.time} ${row.title} (${row.severity})`);
  if (report.more > 0) lines.push(interpolate(labels.more, { count: report.more }));
  return lines.length === 0 ? '' : `\n\n${lines.join('\n')}`;
}

/** The rendered message with both parts, each carrying `unsubscribeUrl`; `report` lists a digest's members. */
export function withEmailParts(message: RenderedMessage, unsubscribeUrl: string, locale: string, report?: DigestReport): RenderedMessage {
  const labels = labelsFor(locale);
  const footer = fill(FOOTER, { url: unsubscribeUrl, label: labels.unsubscribe });
  let text = message.body;
  let htmlPart: string;
  if (message.html === undefined) {
    text += report ? reportText(report, labels) : '';
    htmlPart = fill(HEAD, { title: message.title, body: message.body }) + (report ? reportHtml(report, labels) : '') + footer + TAIL;
  } else if (message.html.includes(escapeHtml(unsubscribeUrl))) {
    htmlPart = message.html;
  } else {
    const end = message.html.search(/<\/body>/i);
    htmlPart = end < 0 ? message.html + footer : message.html.slice(0, end) + footer + message.html.slice(end);
  }
  if (!text.includes(unsubscribeUrl)) text += `\n\n${interpolate(labels.unsubscribeLine, { url: unsubscribeUrl })}`;
  return { ...message, body: text, html: htmlPart, unsubscribeUrl };
}
