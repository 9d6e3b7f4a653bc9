import type { EscalationStep } from '@notify/schemas';
import { readChannelList } from './channel-list';
import { readDurationMs } from './duration-field';
import type { YamlNode } from './yaml-node';

/** What must still be true, when a step's delay has passed, for the step to fire. */
export const ESCALATION_CONDITIONS = ['not_acknowledged', 'not_delivered', 'not_read'] as const;

/** `escalation: [{ delay, channels, condition? }]`, sorted by delay so later consumers can walk it in order. */
export function compileEscalation(node: YamlNode): EscalationStep[] {
  if (node.isMissing()) return [];
  const steps = node.items().map((stepNode): EscalationStep => {
    stepNode.mapping(['delay', 'channels', 'condition']);
    const delayNode = stepNode.child('delay');
    if (delayNode.isMissing()) return stepNode.fail('"delay" is required');
    const delayMs = readDurationMs(delayNode);
    if (delayMs === 0) return delayNode.fail('an escalation delay must be longer than zero');
    const conditionNode = stepNode.child('condition');
    const condition = conditionNode.optionalString() ?? 'not_acknowledged';
    if (!(ESCALATION_CONDITIONS as readonly string[]).includes(condition)) {
      return conditionNode.fail(`unknown escalation condition "${condition}" (expected one of ${ESCALATION_CONDITIONS.join(', ')})`);
    }
    return { delay_ms: delayMs, channels: readChannelList(stepNode.child('channels')), condition };
  });
  return sortByDelay(steps);
}

export function sortByDelay(steps: readonly EscalationStep[]): EscalationStep[] {
  return [...steps].sort((a, b) => a.delay_ms - b.delay_ms);
}
