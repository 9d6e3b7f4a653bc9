/**
 * One decision from the notify actions of every matched rule. Usually that is one rule with one
 * action; with `stop: false` several contribute, in evaluation order. Template and batching come from
 * the first action that sets them (so an "also send a copy" rule placed first does not erase the main
 * rule's template), and so does the team; everything else can only widen: more channels, escalation
 * steps and inhibit labels, the highest priority named, and quiet-hours bypass or mandatory if any
 * action asks (with no action saying either way, critical and urgent bypass quiet hours).
 */
import { DEFAULT_TEAM, type AcceptedEvent } from '@notify/schemas';
import { sortByDelay } from './compile-escalation';
import { higherPriority, type Priority } from './priority';
import { bypassesQuietHours } from './quiet-hours-bypass';
import { NO_TEMPLATE, type CompiledRule, type NotifyAction, type RouteDecision } from './rule-types';

export function ruleDecision(event: AcceptedEvent, matched: readonly CompiledRule[], fallbackPriority: Priority): RouteDecision | null {
  const actions = matched.flatMap((rule) => rule.actions.filter((action): action is NotifyAction => action.kind === 'notify'));
  const [firstRule] = matched;
  if (actions.length === 0 || !firstRule) return null;

  const explicitPriorities = actions.flatMap((action) => (action.priority ? [action.priority] : []));
  const priority = explicitPriorities.length > 0 ? explicitPriorities.reduce(higherPriority) : fallbackPriority;
  return {
    rule: firstRule.name,
    matched_rules: matched.map((rule) => rule.name),
    channels: unique(actions.flatMap((action) => action.channels)),
    template: actions.find((action) => action.template !== undefined)?.template ?? NO_TEMPLATE,
    priority,
    bypass_quiet_hours: bypassesQuietHours(
      actions.map((action) => action.bypassQuietHours),
      event.severity,
      priority,
    ),
    mandatory: actions.some((action) => action.mandatory),
    batching: copyOrNull(actions.find((action) => action.batching !== null)?.batching ?? null),
    escalation: sortByDelay(actions.flatMap((action) => action.escalation.map((step) => ({ ...step, channels: [...step.channels] })))),
    inhibit_labels: unique(actions.flatMap((action) => action.inhibitLabels)),
    team: actions.find((action) => action.team !== undefined)?.team ?? DEFAULT_TEAM,
  };
}

function copyOrNull<T extends object>(value: T | null): T | null {
  return value ? { ...value } : null;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
