import { BUILT_IN_DEFAULTS } from './built-in-defaults';
import { compileDefaults } from './compile-defaults';
import { compileRule } from './compile-rule';
import { withInheritedDefaults } from './inherit-defaults';
import { RuleFileError } from './rule-file-error';
import type { CompiledRule, RuleSet } from './rule-types';
import { parseYaml } from './yaml-source';
import { RuleProblem, YamlNode } from './yaml-node';

export const DEFAULT_TENANT = 'default';

const FILE_KEYS = ['version', 'tenant', 'defaults', 'rules'] as const;

/**
 * Parses and validates one tenant's rule file. Everything that can be wrong with a file is found here,
 * at load, so routing never meets a bad rule. Throws RuleFileError (file, 1-based line, reason).
 */
export function compileRuleSet(text: string, file: string): RuleSet {
  const { value, lines } = parseYaml(text, file);
  try {
    const root = YamlNode.root(value, lines);
    if (root.isMissing()) return root.fail('the file is empty (expected a mapping with "rules")');
    root.mapping(FILE_KEYS);
    const versionNode = root.child('version');
    if (!versionNode.isMissing() && versionNode.value !== 1) return versionNode.fail('only version 1 is supported');
    const tenantNode = root.child('tenant');
    const tenant = tenantNode.optionalString() ?? DEFAULT_TENANT;
    if (/[\s/]/.test(tenant)) return tenantNode.fail('a tenant id cannot contain "/" or whitespace');

    const rulesNode = root.child('rules');
    const rules: CompiledRule[] = [];
    for (const ruleNode of rulesNode.isMissing() ? [] : rulesNode.items()) {
      const rule = compileRule(ruleNode);
      const earlier = rules.find((other) => other.name === rule.name);
      if (earlier) return ruleNode.child('name').fail(`rule name "${rule.name}" is already used at line ${earlier.line}`);
      rules.push(rule);
    }
    const declaredDefaults = compileDefaults(root.child('defaults'));
    const tenantLine = tenantNode.isMissing() ? 1 : tenantNode.line();
    return withInheritedDefaults({ tenant, file, tenantLine, rules, declaredDefaults, defaults: BUILT_IN_DEFAULTS }, BUILT_IN_DEFAULTS);
  } catch (error) {
    if (error instanceof RuleProblem) throw new RuleFileError(file, error.line, error.reason, { cause: error });
    throw error;
  }
}
