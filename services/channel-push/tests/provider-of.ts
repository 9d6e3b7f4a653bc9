/** A push provider around one sender, on the real claim and removal stores, for the contract tests. */
import { BUNDLED_TEMPLATES_DIR, ClaimStore, createTemplateRenderer, TemplateBook } from '@notify/channel';
import { createDb, type Db } from '@notify/db';
import { PushProvider, type PushSenders } from '../src/push-provider';
import { RemovalStore } from '../src/removal-store';
import { unreadCount } from '../src/unread-count';
import { testContactCipher } from '../../../tests/support/test-contact-cipher';

export function pushProviderWith(senders: PushSenders): { provider: PushProvider; db: Db } {
  const db = createDb(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/notifications', 4);
  const render = createTemplateRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), 'push');
  return {
    db,
    provider: new PushProvider({
      claims: new ClaimStore(db),
      removals: new RemovalStore(db, testContactCipher()),
      senders,
      render,
      unread: unreadCount(db),
    }),
  };
}
