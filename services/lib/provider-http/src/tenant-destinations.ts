import { PermanentError } from '@notify/errors';

/**
 * Tenant-level destinations from configuration (`{"<tenant>": "<url or key>"}`, `default` serves every
 * other tenant), used when a dispatch carries no address of its own. A team's notification (user id
 * `#<team>`) may have its own entry, `"<tenant>/<team>"`; without one it goes to the tenant's.
 */
export class TenantDestinations {
  private constructor(private readonly byTenant: ReadonlyMap<string, string>) {}

  /** Parses the JSON, failing fast with the variable's name on anything malformed. */
  static parse(json: string, variable: string): TenantDestinations {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error(`${variable} is not valid JSON`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error(`${variable} must be a JSON object keyed by tenant`);
    const map = new Map<string, string>();
    for (const [tenant, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value !== 'string' || value.trim() === '') throw new Error(`${variable}.${tenant} must be a non-empty string`);
      map.set(tenant, value);
    }
    return new TenantDestinations(map);
  }

  /** True when nothing is configured, so only dispatches with their own address could be sent. */
  isEmpty(): boolean {
    return this.byTenant.size === 0;
  }

  /** The dispatch's own address wins; then the team's entry (when a team is given); then the tenant's; then `default`. */
  resolve(address: string | null, tenant: string, team: string | null = null): string | undefined {
    if (address && address.trim() !== '') return address;
    return (
      (team === null ? undefined : this.byTenant.get(`${tenant}/${team}`)) ?? this.byTenant.get(tenant) ?? this.byTenant.get('default')
    );
  }

  /** Like resolve; a dispatch with nowhere to go fails for good as `no_address` ("no <what> for tenant ..."). */
  require(dispatch: { address: string | null; tenant: string }, what: string, team: string | null = null): string {
    const found = this.resolve(dispatch.address, dispatch.tenant, team);
    if (!found) throw new PermanentError('no_address', `no ${what} for tenant ${dispatch.tenant}${team === null ? '' : ` (team ${team})`}`);
    return found;
  }
}
