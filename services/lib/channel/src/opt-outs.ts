/**
 * Addresses that must not be sent to again on a channel, as providers report them (21610, STOP).
 * Stored sealed and found by blind index (ContactCipher); a row written before encryption is found by
 * its clear address until `npm run rekey` reaches it, and sealed when the same opt-out comes again.
 */
import { TickBatcher, type ContactCipher, type Db } from '@notify/db';

interface Lookup {
  channel: string;
  address: string;
}

const COLUMN = 'channel_opt_outs.address';

export class OptOutStore {
  // Every dispatch with an address asks before sending; concurrent asks share one query.
  private readonly lookups: TickBatcher<Lookup, boolean>;

  constructor(
    private readonly db: Db,
    private readonly contacts: ContactCipher,
  ) {
    this.lookups = new TickBatcher((lookups) => this.lookUpAll(lookups));
  }

  async add(channel: string, address: string, source: string): Promise<void> {
    const index = this.contacts.index(COLUMN, address);
    // An older clear row of this address gets its index first, so the insert below meets it and seals it.
    await this.db
      .updateTable('channel_opt_outs')
      .set({ address_index: index })
      .where('channel', '=', channel)
      .where('address_index', 'is', null)
      .where('address', '=', address)
      .execute();
    await this.db
      .insertInto('channel_opt_outs')
      .values({ channel, address: this.contacts.seal(COLUMN, `${channel}/${index}`, address), address_index: index, source })
      .onConflict((oc) => oc.columns(['channel', 'address_index']).doUpdateSet((eb) => ({ address: eb.ref('excluded.address') })))
      .execute();
  }

  async remove(channel: string, address: string): Promise<void> {
    await this.db.deleteFrom('channel_opt_outs').where('channel', '=', channel).where(this.contacts.matches(COLUMN, address)).execute();
  }

  isOptedOut(channel: string, address: string): Promise<boolean> {
    return this.lookups.call({ channel, address });
  }

  private async lookUpAll(lookups: readonly Lookup[]): Promise<boolean[]> {
    const optedOut = new Set<string>();
    for (const channel of new Set(lookups.map((l) => l.channel))) {
      const addresses = [...new Set(lookups.filter((l) => l.channel === channel).map((l) => l.address))];
      const byIndex = new Map(addresses.map((a) => [this.contacts.index(COLUMN, a), a]));
      const rows = await this.db
        .selectFrom('channel_opt_outs')
        .select(['address', 'address_index'])
        .where('channel', '=', channel)
        .where((eb) =>
          eb.or([
            eb('address_index', 'in', [...byIndex.keys()]),
            eb.and([eb('address_index', 'is', null), eb('address', 'in', addresses)]),
          ]),
        )
        .execute();
      for (const row of rows) {
        const address = row.address_index === null ? row.address : byIndex.get(row.address_index);
        if (address !== undefined) optedOut.add(`${channel}\u0000${address}`);
      }
    }
    return lookups.map((l) => optedOut.has(`${l.channel}\u0000${l.address}`));
  }
}
