import { EventView, FIELD_PATH_FORMAT, parseFieldPath } from './event-fields';
import { isOperator, OPERATORS, type Operator } from './operators';
import { compileSeverityTest } from './severity-condition';
import { compileValueTest } from './value-condition';
import type { YamlNode } from './yaml-node';

export interface Condition {
  readonly field: string;
  readonly operator: Operator;
  holds(view: EventView): boolean;
}

export function compileCondition(node: YamlNode): Condition {
  node.mapping(['field', 'operator', 'value']);
  const fieldNode = node.child('field');
  const field = fieldNode.string();
  const path = parseFieldPath(field);
  if (!path) return fieldNode.fail(`unknown field "${field}" (expected ${FIELD_PATH_FORMAT})`);

  const operatorNode = node.child('operator');
  const operator = operatorNode.string();
  if (!isOperator(operator)) {
    return operatorNode.fail(`unknown operator "${operator}" (expected one of ${OPERATORS.join(', ')})`);
  }

  const valueNode = node.child('value');
  if (path.kind === 'event' && path.name === 'severity') {
    const test = compileSeverityTest(operator, valueNode);
    return { field, operator, holds: (view) => test(view.event.severity) };
  }
  const test = compileValueTest(operator, valueNode);
  return { field, operator, holds: (view) => test(view.read(path)) };
}
