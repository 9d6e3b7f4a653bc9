// The operator view: delivery analytics charts, dead letters with inspect and replay, consumer lag.
import { COLORS, lines, stackedBars } from './charts.js';
import { $, el, timeAgo } from './dom.js';

const OUTCOMES = ['delivered', 'sent', 'failed', 'suppressed', 'dead_lettered'];

export function createOperatorPage(api) {
  const range = () => {
    const hours = Number($('#analytics-window').value);
    const q = new URLSearchParams({ since: new Date(Date.now() - hours * 3600_000).toISOString() });
    const tenant = $('#analytics-tenant').value.trim();
    if (tenant) q.set('tenant', tenant);
    return { q, hours };
  };

  const loadAnalytics = async () => {
    const { q, hours } = range();
    const bucket = hours <= 1 ? 60 : hours <= 24 ? 900 : 3600;
    const [outcomes, latency] = await Promise.all([
      api.get(`/v1/admin/analytics/outcomes?${q}`),
      api.get(`/v1/admin/analytics/latency?${q}&bucket_seconds=${bucket}&channel=all`),
    ]);
    const byChannel = new Map();
    const byReason = new Map();
    for (const r of outcomes.rows) {
      const parts = byChannel.get(r.channel) ?? {};
      parts[r.status] = (parts[r.status] ?? 0) + r.count;
      byChannel.set(r.channel, parts);
      if (r.status !== 'delivered' && r.status !== 'sent') {
        const label = r.reason ?? '(none)';
        const rp = byReason.get(label) ?? {};
        rp[r.status] = (rp[r.status] ?? 0) + r.count;
        byReason.set(label, rp);
      }
    }
    stackedBars(
      $('#chart-outcomes'),
      [...byChannel].map(([label, parts]) => ({ label, parts })),
      OUTCOMES,
    );
    stackedBars(
      $('#chart-reasons'),
      [...byReason].map(([label, parts]) => ({ label, parts })),
      OUTCOMES.filter((k) => k !== 'delivered' && k !== 'sent'),
    );
    // Every channel's deliveries pooled per bucket: the API computes these percentiles over all of them.
    lines(
      $('#chart-latency'),
      latency.series.map((s) => ({ t: new Date(s.bucket), values: { p50: s.p50_ms, p95: s.p95_ms, p99: s.p99_ms } })),
      ['p50', 'p95', 'p99'],
      'ms',
    );
  };

  const inspect = async (id) => {
    const detail = await api.get(`/v1/admin/dlq/${id}`);
    const pre = $('#dlq-detail');
    pre.textContent = JSON.stringify(detail, null, 2);
    pre.hidden = false;
  };

  const replay = async (entry) => {
    const force = entry.replay_count > 0;
    if (force && !confirm(`Dead letter ${entry.id} was replayed already. Replay it again?`)) return;
    await api.post(`/v1/admin/dlq/${entry.id}/replay${force ? '?force=true' : ''}`);
    await loadDlq();
    if (!$('#dlq-detail').hidden) await inspect(entry.id);
  };

  const loadDlq = async () => {
    const page = await api.get('/v1/admin/dlq?limit=50');
    $('#dlq-table tbody').replaceChildren(
      ...(page.items.length
        ? page.items.map((d) =>
            el(
              'tr',
              { dataset: { id: d.id } },
              el('td', {}, d.id),
              el('td', {}, timeAgo(d.failed_at)),
              el('td', {}, d.stage),
              el('td', {}, d.code),
              el('td', {}, d.reason),
              el('td', {}, `${d.original_topic}[${d.original_partition}]@${d.original_offset}`),
              el('td', { class: 'num' }, d.replay_count),
              el(
                'td',
                {},
                el('button', { type: 'button', class: 'secondary inspect', onclick: () => void inspect(d.id) }, 'Inspect'),
                ' ',
                el('button', { type: 'button', class: 'replay', onclick: () => void replay(d) }, 'Replay'),
              ),
            ),
          )
        : [el('tr', {}, el('td', { colspan: 8 }, 'No dead letters.'))]),
    );
  };

  const loadLag = async () => {
    const lag = await api.get('/v1/admin/lag');
    const max = Math.max(1, ...lag.services.map((s) => s.total_lag));
    $('#lag-table tbody').replaceChildren(
      ...lag.services.map((s) =>
        el(
          'tr',
          { dataset: { service: s.service } },
          el('td', {}, s.service),
          el('td', {}, s.group),
          el('td', { class: 'num' }, s.total_lag),
          el(
            'td',
            { style: 'width:40%' },
            el('div', {
              class: 'lagbar',
              style: `width:${(100 * s.total_lag) / max}%;background:${s.total_lag > 1000 ? COLORS.failed : COLORS.p50}`,
            }),
          ),
        ),
      ),
    );
  };

  $('#analytics-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    void loadAnalytics();
  });

  return {
    async show() {
      await Promise.all([loadAnalytics(), loadDlq(), loadLag()]);
    },
  };
}
