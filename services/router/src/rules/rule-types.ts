import type { BatchingPolicy, EscalationStep, Intent, Severity } from '@notify/schemas';
import type { Channel } from './channels';
import type { Condition } from './compile-condition';
import type { TextMatcher } from './glob';
import type { Priority } from './priority';

/**
 * The template id of a decision no rule named a template for. Empty rather than the event type, so a
 * channel worker can tell a rule's choice (risk.margin_call) from "whatever the type has".
 */
export const NO_TEMPLATE = '';

export interface NotifyAction {
  readonly kind: 'notify';
  readonly channels: readonly Channel[];
  /** The template id for the channel workers; unset, they go by the event type (the decision carries ''). */
  readonly template: string | undefined;
  /** Unset means the severity's default priority. */
  readonly priority: Priority | undefined;
  /** Unset: critical severity or urgent priority bypass, anything else waits (seed 004: critical is immediate). */
  readonly bypassQuietHours: boolean | undefined;
  readonly mandatory: boolean;
  /** null: deliver immediately. */
  readonly batching: BatchingPolicy | null;
  readonly escalation: readonly EscalationStep[];
  readonly inhibitLabels: readonly string[];
  /** Which team destination the action's team channels post to; unset means the default team. */
  readonly team: string | undefined;
}

/** A matched rule whose action is `suppress` routes the event nowhere. */
export interface SuppressAction {
  readonly kind: 'suppress';
}

export type RuleAction = NotifyAction | SuppressAction;

export interface CompiledRule {
  readonly name: string;
  /** 1-based line where the rule starts in its file. */
  readonly line: number;
  readonly eventTypes: readonly string[];
  readonly matchesType: TextMatcher;
  readonly conditions: readonly Condition[];
  readonly actions: readonly RuleAction[];
  /** Stop evaluating later rules once this one matched (default true: first match wins). */
  readonly stop: boolean;
}

/** What an event gets when no rule matches, by canonical severity. */
export interface DefaultRoute {
  readonly channels: readonly Channel[];
  /** 0: deliver immediately. */
  readonly batchWindowMs: number;
  readonly priority: Priority;
  /** Unset: critical severity or urgent priority bypass, anything else waits (seed 004: critical is immediate). */
  readonly bypassQuietHours: boolean | undefined;
  readonly mandatory: boolean;
}

export type DefaultRoutingTable = Readonly<Record<Severity, DefaultRoute>>;
export type PartialDefaultRoutingTable = Readonly<Partial<Record<Severity, DefaultRoute>>>;

export interface RuleSet {
  readonly tenant: string;
  /** Where the rules came from; null for built-in defaults. */
  readonly file: string | null;
  /** Line of the `tenant:` key (1 when the file relies on the default tenant). */
  readonly tenantLine: number;
  readonly rules: readonly CompiledRule[];
  /** Only the severities the file itself lists under `defaults`. */
  readonly declaredDefaults: PartialDefaultRoutingTable;
  /** The table in force: declared entries over the inherited ones (default tenant, then built-in). */
  readonly defaults: DefaultRoutingTable;
}

/** The routing part of an Intent, field for field, plus what inhibition needs. */
export interface RouteDecision extends Pick<
  Intent,
  'rule' | 'channels' | 'template' | 'priority' | 'bypass_quiet_hours' | 'mandatory' | 'batching' | 'escalation'
> {
  priority: Priority;
  /** Every rule that contributed, in evaluation order (more than one only with `stop: false`). */
  matched_rules: string[];
  /** Label names whose values identify "the same alert" for inhibition. */
  inhibit_labels: string[];
  /** The team whose destinations get the event's team channels once (its intent's user id is `#<team>`). */
  team: string;
}
