import type { AcceptedEvent } from '@notify/schemas';
import { BUILT_IN_DEFAULTS } from './built-in-defaults';
import { DEFAULT_TENANT } from './compile-rule-set';
import { withInheritedDefaults } from './inherit-defaults';
import { route } from './route';
import { RuleFileError } from './rule-file-error';
import type { RouteDecision, RuleSet } from './rule-types';

/**
 * One rule set per tenant. A tenant without its own set uses the `default` tenant's set, and without
 * that the built-in defaults. Sets replace each other whole (no rule cascades from `default` into a
 * tenant's set), but severities missing from a tenant's `defaults:` come from the `default` tenant's.
 */
export class RuleBook {
  private readonly byTenant = new Map<string, RuleSet>();
  private readonly fallback: RuleSet;
  /** Sets dropped because an earlier set (in the order given) already claimed their tenant. */
  readonly conflicts: readonly RuleFileError[];

  constructor(ruleSets: readonly RuleSet[] = []) {
    const conflicts: RuleFileError[] = [];
    const claimed = new Map<string, RuleSet>();
    for (const set of ruleSets) {
      const earlier = claimed.get(set.tenant);
      if (earlier) {
        conflicts.push(
          new RuleFileError(
            set.file ?? '<memory>',
            set.tenantLine,
            `tenant "${set.tenant}" is already defined by ${earlier.file ?? 'another rule set'}; this file is ignored`,
          ),
        );
        continue;
      }
      claimed.set(set.tenant, set);
    }
    this.conflicts = conflicts;

    const defaultSet = claimed.get(DEFAULT_TENANT);
    const inherited = defaultSet ? withInheritedDefaults(defaultSet, BUILT_IN_DEFAULTS).defaults : BUILT_IN_DEFAULTS;
    for (const [tenant, set] of claimed) this.byTenant.set(tenant, withInheritedDefaults(set, inherited));
    this.fallback = this.byTenant.get(DEFAULT_TENANT) ?? builtInRuleSet();
  }

  /** The set that routes this tenant's events. */
  ruleSetFor(tenant: string): RuleSet {
    return this.byTenant.get(tenant) ?? this.fallback;
  }

  route(event: AcceptedEvent): RouteDecision | null {
    return route(event, this.ruleSetFor(event.tenant));
  }

  tenants(): string[] {
    return [...this.byTenant.keys()].sort();
  }

  ruleCount(): number {
    let count = 0;
    for (const set of this.byTenant.values()) count += set.rules.length;
    return count;
  }
}

export function builtInRuleSet(): RuleSet {
  return { tenant: DEFAULT_TENANT, file: null, tenantLine: 1, rules: [], declaredDefaults: {}, defaults: BUILT_IN_DEFAULTS };
}
