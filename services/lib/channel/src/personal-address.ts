/**
 * The address of a dispatch as the provider needs it. The API and the aggregator put contact points
 * on Kafka sealed with the user's own data key (PersonalKeys in @notify/db): the whole address, or,
 * for a JSON address listing several devices, each value inside it. Only here, in the worker about to
 * send, are they opened; the dispatch that goes on to a retry topic or the DLQ stays sealed.
 */
import { ErasedError, isPersonal, PERSONAL_PREFIX, type PersonalKeys } from '@notify/db';
import { InvalidInputError } from '@notify/errors';
import { SealError, type Dispatch } from '@notify/schemas';

export type AddressOpening = { kind: 'opened'; dispatch: Dispatch } | { kind: 'erased'; detail: string };

export async function openAddress(keys: Pick<PersonalKeys, 'open' | 'openAll'>, d: Dispatch): Promise<AddressOpening> {
  if (d.address === null || !d.address.includes(PERSONAL_PREFIX)) return { kind: 'opened', dispatch: d };
  try {
    let address = isPersonal(d.address) ? await keys.open(d.address, d.recipient) : d.address;
    if (address.includes(PERSONAL_PREFIX)) address = JSON.stringify(await keys.openAll(parseJson(address), d.recipient));
    return { kind: 'opened', dispatch: { ...d, address } };
  } catch (error) {
    if (error instanceof ErasedError)
      return { kind: 'erased', detail: 'the recipient was erased: their contact points can no longer be read' };
    if (error instanceof SealError)
      throw new InvalidInputError('address_unreadable', `the address does not open: ${error.message}`, { cause: error });
    throw error;
  }
}

function parseJson(address: string): unknown {
  try {
    return JSON.parse(address) as unknown;
  } catch (error) {
    throw new InvalidInputError('address_unreadable', 'the address holds sealed values but is not JSON', { cause: error });
  }
}
