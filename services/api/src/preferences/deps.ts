/** What the preference and contact routes need; main.ts builds it, tests pass their own. */
import type { TokenVerifier } from '../auth';
import { randomInt } from 'node:crypto';
import type { ContactCipher } from '@notify/db';
import type { Db, PersonalKeys } from '@notify/db';
import type { AvroCodec, OutgoingRecord } from '@notify/kafka';
import type { Sealer, TopicName } from '@notify/schemas';

/** Topics these routes write; their value schemas are registered when the app becomes ready. */
export const PREFERENCE_WRITE_TOPICS: readonly TopicName[] = [
  'notifications.preferences',
  'notifications.recipients',
  'notifications.dispatch.sms',
];

export interface VerificationLimits {
  /** How long a code can be confirmed. */
  codeTtlMs: number;
  /** Wrong codes accepted before the verification is locked. */
  maxAttempts: number;
  /** Starts allowed per user, and per phone number, within `startWindowMs`. */
  maxStartsPerWindow: number;
  startWindowMs: number;
}

export const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = {
  codeTtlMs: 10 * 60 * 1000,
  maxAttempts: 5,
  maxStartsPerWindow: 3,
  startWindowMs: 15 * 60 * 1000,
};

export interface PreferenceRouteDeps {
  db: Db;
  /** Seals and opens the contact points in user_contacts, devices and the other tables that hold them. */
  contacts: ContactCipher;
  /**
   * Sends records and resolves once every one is acknowledged by all in-sync replicas (acks=all):
   * `ProducerPort.send` or `BatchingProducer.send`. A rejection fails the request and rolls back.
   */
  send: (records: OutgoingRecord[]) => Promise<void>;
  /** Encodes values; schemas of PREFERENCE_WRITE_TOPICS are registered through it on ready. */
  codec: Pick<AvroCodec, 'encode' | 'registerTopics'>;
  /** Verifies user tokens. */
  tokens: TokenVerifier;
  /** Key of the HMAC that hashes one-time codes; at least 32 bytes, never the JWT secret. */
  codeHashSecret: string;
  /** Seals one-time codes for the SMS worker, the only other holder of the key. */
  sealer: Sealer;
  /** Seals a user's contact points in the records this API publishes with the user's own key. */
  personal: PersonalKeys;
  /** Epoch milliseconds; injected so expiry and rate limits are testable. */
  clock?: () => number;
  /** A 6-digit one-time code. */
  generateCode?: () => string;
  verification?: Partial<VerificationLimits>;
}

export interface ResolvedDeps {
  db: Db;
  contacts: ContactCipher;
  send: (records: OutgoingRecord[]) => Promise<void>;
  codec: Pick<AvroCodec, 'encode' | 'registerTopics'>;
  tokens: TokenVerifier;
  codeHashSecret: string;
  sealer: Sealer;
  personal: PersonalKeys;
  clock: () => number;
  generateCode: () => string;
  verification: VerificationLimits;
}

export function randomSixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function resolveDeps(deps: PreferenceRouteDeps): ResolvedDeps {
  if (Buffer.byteLength(deps.codeHashSecret) < 32) throw new Error('codeHashSecret must be at least 32 bytes');
  if (deps.tokens.usesSecret(deps.codeHashSecret)) throw new Error('codeHashSecret must differ from every JWT secret');
  const verification = { ...DEFAULT_VERIFICATION_LIMITS, ...deps.verification };
  for (const [name, value] of Object.entries(verification)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`verification.${name} must be a positive integer`);
  }
  return {
    db: deps.db,
    contacts: deps.contacts,
    send: deps.send,
    codec: deps.codec,
    tokens: deps.tokens,
    codeHashSecret: deps.codeHashSecret,
    sealer: deps.sealer,
    personal: deps.personal,
    clock: deps.clock ?? Date.now,
    generateCode: deps.generateCode ?? randomSixDigitCode,
    verification,
  };
}
