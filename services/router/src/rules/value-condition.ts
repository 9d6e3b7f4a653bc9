/**
 * Conditions on every field but `severity`. A missing field fails every positive test (eq, gt, in,
 * contains, matches, ...), so `ne` and `not_in`, being their negations, hold for it.
 */
import type { Operator } from './operators';
import { compileSafeRegex, testCapped } from './safe-regex';
import { compareOrdered, containsValue, isScalar, valuesEqual, type Scalar } from './value-comparison';
import type { YamlNode } from './yaml-node';

export type ValueTest = (actual: unknown) => boolean;

export function compileValueTest(operator: Operator, valueNode: YamlNode): ValueTest {
  switch (operator) {
    case 'eq': {
      const expected = scalarValue(valueNode);
      return (actual) => valuesEqual(actual, expected);
    }
    case 'ne': {
      const expected = scalarValue(valueNode);
      return (actual) => !valuesEqual(actual, expected);
    }
    case 'gt':
      return orderedTest(valueNode, (order) => order > 0);
    case 'gte':
      return orderedTest(valueNode, (order) => order >= 0);
    case 'lt':
      return orderedTest(valueNode, (order) => order < 0);
    case 'lte':
      return orderedTest(valueNode, (order) => order <= 0);
    case 'in': {
      const options = valueNode.items().map(scalarValue);
      return (actual) => options.some((option) => valuesEqual(actual, option));
    }
    case 'not_in': {
      const options = valueNode.items().map(scalarValue);
      return (actual) => !options.some((option) => valuesEqual(actual, option));
    }
    case 'contains': {
      const expected = scalarValue(valueNode);
      if (expected === null) return valueNode.fail('"contains" needs a value');
      return (actual) => containsValue(actual, expected);
    }
    case 'exists': {
      const expected = valueNode.isMissing() ? true : valueNode.optionalBoolean();
      return (actual) => (actual !== undefined && actual !== null) === expected;
    }
    case 'matches': {
      if (typeof valueNode.value !== 'string') return valueNode.fail('"matches" needs a regular expression as a string');
      const check = compileSafeRegex(valueNode.value);
      if (!check.ok) return valueNode.fail(check.reason);
      const { regex } = check;
      return (actual) => isScalar(actual) && actual !== null && testCapped(regex, String(actual));
    }
  }
}

function orderedTest(valueNode: YamlNode, accept: (order: number) => boolean): ValueTest {
  const expected = valueNode.value;
  if (typeof expected !== 'string' && typeof expected !== 'number') {
    return valueNode.fail('expected a number or a string to compare with');
  }
  return (actual) => {
    const order = compareOrdered(actual, expected);
    return order !== undefined && accept(order);
  };
}

function scalarValue(node: YamlNode): Scalar {
  if (node.value === undefined) return node.fail('a value is required');
  if (!isScalar(node.value)) return node.fail('expected a single value (string, number, true/false or null)');
  return node.value;
}
