/**
 * Conditions on `severity` compare by rank on the ordered scale, not as text: `medium` gte `low` holds
 * because both normalise (warning >= info). The rule's value is normalised once, at load.
 */
import { compareSeverity, normaliseSeverity, type Severity } from '@notify/schemas';
import type { Operator } from './operators';
import type { YamlNode } from './yaml-node';

export type SeverityTest = (severity: Severity) => boolean;

export function compileSeverityTest(operator: Operator, valueNode: YamlNode): SeverityTest {
  switch (operator) {
    case 'eq':
      return rankTest(valueNode, (order) => order === 0);
    case 'ne':
      return rankTest(valueNode, (order) => order !== 0);
    case 'gt':
      return rankTest(valueNode, (order) => order > 0);
    case 'gte':
      return rankTest(valueNode, (order) => order >= 0);
    case 'lt':
      return rankTest(valueNode, (order) => order < 0);
    case 'lte':
      return rankTest(valueNode, (order) => order <= 0);
    case 'in': {
      const allowed = severityList(valueNode);
      return (severity) => allowed.has(severity);
    }
    case 'not_in': {
      const refused = severityList(valueNode);
      return (severity) => !refused.has(severity);
    }
    case 'exists': {
      // Every accepted event has a severity; the operator is allowed only so generic rule tooling works.
      const expected = valueNode.isMissing() ? true : valueNode.optionalBoolean();
      return () => expected === true;
    }
    case 'contains':
    case 'matches':
      return valueNode.fail(`operator "${operator}" does not apply to severity (compare severity_label as text instead)`);
  }
}

function rankTest(valueNode: YamlNode, accept: (order: number) => boolean): SeverityTest {
  const expected = severityValue(valueNode);
  return (severity) => accept(compareSeverity(severity, expected));
}

function severityValue(node: YamlNode): Severity {
  if (typeof node.value !== 'string') return node.fail('expected a severity name such as info, warning, critical, low, medium or high');
  const severity = normaliseSeverity(node.value);
  if (!severity) return node.fail(`unknown severity "${node.value}"`);
  return severity;
}

function severityList(node: YamlNode): ReadonlySet<Severity> {
  return new Set(node.items().map(severityValue));
}
