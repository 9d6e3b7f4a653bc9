/** Addresses that must not be sent to again on a channel, as providers report them (21610, STOP). */
import { TickBatcher, type Db } from '@notify/db';

interface Lookup {
  channel: string;
  address: string;
}

export class OptOutStore {
  // Every dispatch with an address asks before sending; concurrent asks share one query.
  private readonly lookups: TickBatcher<Lookup, boolean>;

  constructor(private readonly db: Db) {
    this.lookups = new TickBatcher((lookups) => this.lookUpAll(lookups));
  }

  async add(channel: string, address: string, source: string): Promise<void> {
    await this.db
      .insertInto('channel_opt_outs')
      .values({ channel, address, source })
      .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
      .execute();
  }

  async remove(channel: string, address: string): Promise<void> {
    await this.db.deleteFrom('channel_opt_outs').where('channel', '=', channel).where('address', '=', address).execute();
  }

  isOptedOut(channel: string, address: string): Promise<boolean> {
    return this.lookups.call({ channel, address });
  }

  private async lookUpAll(lookups: readonly Lookup[]): Promise<boolean[]> {
    const optedOut = new Set<string>();
    for (const channel of new Set(lookups.map((l) => l.channel))) {
      const addresses = [...new Set(lookups.filter((l) => l.channel === channel).map((l) => l.address))];
      const rows = await this.db
        .selectFrom('channel_opt_outs')
        .select('address')
        .where('channel', '=', channel)
        .where('address', 'in', addresses)
        .execute();
      for (const row of rows) optedOut.add(`${channel}\u0000${row.address}`);
    }
    return lookups.map((l) => optedOut.has(`${l.channel}\u0000${l.address}`));
  }
}
