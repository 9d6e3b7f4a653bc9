/** The ContactCipher of a test run: the fixed test keys every service started by the tests also holds. */
import { ContactCipher } from '@notify/db';
import { parseSealingKeys } from '@notify/schemas';
import { TEST_PERSONAL_DATA_ENV } from './test-keys';

export function testContactCipher(): ContactCipher {
  return new ContactCipher(parseSealingKeys(TEST_PERSONAL_DATA_ENV.DATA_KEYS), TEST_PERSONAL_DATA_ENV.BLIND_INDEX_KEY);
}
