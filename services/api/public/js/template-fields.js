// Which template fields each channel sends, and how the editor labels them. A field the channel does
// not use but the template holds (a digest's item line, say) is still shown, so saving never drops it.
export const CHANNELS = ['all', 'email', 'sms', 'voice', 'push', 'inapp', 'slack', 'discord', 'teams', 'webhook', 'pagerduty'];

const BY_CHANNEL = {
  email: [
    ['title', 'Subject'],
    ['body', 'Text part'],
    ['html', 'HTML part'],
  ],
  sms: [['body', 'SMS text']],
  voice: [['body', 'Speech']],
  // A chat channel's own layout is optional JSON; without it the channel lays out title and body.
  slack: [
    ['title', 'Title'],
    ['body', 'Body (the notification text)'],
    ['layout', 'Blocks (Block Kit JSON, optional)'],
  ],
  discord: [
    ['title', 'Title'],
    ['body', 'Body'],
    ['layout', 'Embed (JSON, optional)'],
  ],
  teams: [
    ['title', 'Title'],
    ['body', 'Body'],
    ['layout', 'Card (Adaptive Card JSON, optional)'],
  ],
  // Every channel's shared text; a digest builds its list from the item, group and more lines.
  all: [
    ['title', 'Title'],
    ['body', 'Body'],
    ['item', 'Digest line'],
    ['group', 'Digest group heading'],
    ['more', 'Digest overflow line'],
  ],
};
const TITLE_AND_BODY = [
  ['title', 'Title'],
  ['body', 'Body'],
];
const OTHER_LABELS = {
  title: 'Title',
  body: 'Body',
  html: 'HTML part',
  item: 'Digest line',
  group: 'Digest group heading',
  more: 'Digest overflow line',
  layout: 'Layout (JSON)',
};

// The API also takes the channels' own words for fields; the editor shows them under our names.
const ALIASES = {
  email: { subject: 'title', text: 'body' },
  sms: { text: 'body' },
  voice: { speech: 'body' },
  slack: { blocks: 'layout' },
  discord: { embed: 'layout' },
  teams: { card: 'layout' },
};

/** The fields under the names the editor uses (an alias given beside its field's own name is kept as it is). */
export function canonicalFields(channel, fields) {
  const out = {};
  for (const [name, text] of Object.entries(fields)) {
    const own = ALIASES[channel]?.[name];
    out[own && !Object.hasOwn(fields, own) ? own : name] = text;
  }
  return out;
}

/** [name, label, used] for every field the editor shows: the channel's own, then any others the template holds. */
export function fieldsFor(channel, values = {}) {
  const own = BY_CHANNEL[channel] ?? TITLE_AND_BODY;
  const names = new Set(own.map(([name]) => name));
  const extra = Object.keys(values)
    .filter((name) => !names.has(name))
    .sort();
  return [...own.map(([name, label]) => [name, label, true]), ...extra.map((name) => [name, OTHER_LABELS[name] ?? name, false])];
}

export function fieldLabel(channel, name) {
  return (BY_CHANNEL[channel] ?? TITLE_AND_BODY).find(([n]) => n === name)?.[1] ?? OTHER_LABELS[name] ?? name;
}
