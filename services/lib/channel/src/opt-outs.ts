/** Addresses that must not be sent to again on a channel, as providers report them (21610, STOP). */
import type { Db } from '@notify/db';

export class OptOutStore {
  constructor(private readonly db: Db) {}

  async add(channel: string, address: string, source: string): Promise<void> {
    await this.db.insertInto('channel_opt_outs').values({ channel, address, source }).onConflict((oc) => oc.columns(['channel', 'address']).doNothing()).execute();
  }

  async remove(channel: string, address: string): Promise<void> {
    await this.db.deleteFrom('channel_opt_outs').where('channel', '=', channel).where('address', '=', address).execute();
  }

  async isOptedOut(channel: string, address: string): Promise<boolean> {
    const row = await this.db.selectFrom('channel_opt_outs').select('address').where('channel', '=', channel).where('address', '=', address).executeTakeFirst();
    return row !== undefined;
  }
}
