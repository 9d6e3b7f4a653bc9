import { BUNDLED_TEMPLATES_DIR, createTemplateRenderer, TemplateBook } from '@notify/channel';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { baseType, dedupKey, isResolve, pagerDutyEvent } from './pagerduty-event';

describe('PagerDuty event mapping', () => {
  const render = createTemplateRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), 'pagerduty');
  it('treats a _RESOLVED suffix as resolve of the base type', () => {
    expect(isResolve('DB_DOWN_RESOLVED')).toBe(true);
    expect(isResolve('db_down_resolved')).toBe(true);
    expect(isResolve('_RESOLVED')).toBe(false);
    expect(isResolve('DB_DOWN')).toBe(false);
    expect(baseType('DB_DOWN_RESOLVED')).toBe('DB_DOWN');
  });

  it('prefers payload.dedup_key and caps it at 255 characters', () => {
    expect(dedupKey(sampleDispatch('pagerduty', { payload: JSON.stringify({ dedup_key: 'x'.repeat(300) }) }))).toHaveLength(255);
    expect(dedupKey(sampleDispatch('pagerduty', { payload: 'not json' }))).toBe('acme/MARGIN_CALL');
  });

  it('maps severities onto PagerDuty severities and caps the summary', () => {
    const d = sampleDispatch('pagerduty', { severity: 'info', severity_label: 'low' });
    const event = pagerDutyEvent(d, { ...render(d), body: 'b'.repeat(5000) }, 'k');
    expect(event.event_action).toBe('trigger');
    if (event.event_action === 'trigger') {
      expect(event.payload.severity).toBe('info');
      expect(event.payload.summary).toHaveLength(1024);
    }
  });
});
