/**
 * Phone verification by one-time code. `start` texts a 6-digit code to the number on the profile
 * through the SMS channel; `confirm` checks it and marks the number verified, which is what lets the
 * pipeline send SMS and voice to it.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isPlainObject } from '../field-problems';
import { contactsView, lockContacts, saveAndPublishContacts } from '../contacts-store';
import type { ResolvedDeps } from '../deps';
import { sendError, sendFieldErrors } from '../http-errors';
import { caller } from '../caller';
import { sendAll } from '../publish';
import { Refusal } from '../refusal';
import { codeMatches, hashCode, isWellFormedCode, newSalt } from './code-hash';
import { decideStart, stricter } from './start-rate-limit';
import { verificationDispatch } from './verification-dispatch';
import {
  deleteOldVerifications,
  insertVerification,
  lockPendingVerification,
  lockPhoneNumber,
  markVerified,
  recentStartsByPhone,
  recentStartsByUser,
  spendAttempt,
  supersedePendingVerifications,
} from './verification-store';

export function registerVerificationRoutes(app: FastifyInstance, deps: ResolvedDeps): void {
  const limits = deps.verification;

  app.post('/v1/contacts/phone/verification/start', async (request, reply) => {
    const user = caller(request);
    const now = deps.clock();
    const expiresAt = now + limits.codeTtlMs;
    await deps.db.transaction().execute(async (trx) => {
      // Lock order everywhere: contacts row, then phone number, then verification rows.
      const { document } = await lockContacts(trx, deps.contacts, user.tenant, user.userId, now);
      if (!document.phone) throw new Refusal(409, 'no_phone', 'set a phone number with PUT /v1/contacts/phone first');
      if (document.phone_verified) throw new Refusal(409, 'already_verified', 'this phone number is already verified');
      await lockPhoneNumber(trx, document.phone);
      const since = now - limits.startWindowMs;
      const decision = stricter(
        decideStart(await recentStartsByUser(trx, user, since), limits.maxStartsPerWindow, limits.startWindowMs, now),
        decideStart(
          await recentStartsByPhone(trx, deps.contacts, document.phone, since),
          limits.maxStartsPerWindow,
          limits.startWindowMs,
          now,
        ),
      );
      if (!decision.allowed) {
        throw new Refusal(
          429,
          'too_many_requests',
          'too many verification codes were requested; try again later',
          { retry_after_seconds: decision.retryAfterSeconds },
          { 'retry-after': String(decision.retryAfterSeconds) },
        );
      }
      await deleteOldVerifications(trx, user, now);
      await supersedePendingVerifications(trx, user, now);
      const code = deps.generateCode();
      if (!isWellFormedCode(code)) throw new Error('the code generator must return exactly 6 digits');
      const salt = newSalt();
      const id = randomUUID();
      await insertVerification(trx, deps.contacts, user, {
        id,
        phone: document.phone,
        codeHash: hashCode(deps.codeHashSecret, salt, code),
        salt,
        attempts: limits.maxAttempts,
        createdAt: now,
        expiresAt,
      });
      const dispatch = verificationDispatch(
        {
          verificationId: id,
          tenant: user.tenant,
          userId: user.userId,
          phone: await deps.personal.seal(user.tenant, user.userId, document.phone),
          locale: document.locale,
          code,
          expiresInMinutes: Math.round(limits.codeTtlMs / 60_000),
          now,
        },
        deps.sealer,
      );
      // Committed only once the SMS channel's topic has the message: a code nobody can receive is not stored.
      await sendAll(deps, [
        { topic: 'notifications.dispatch.sms', key: dispatch.recipient, value: deps.codec.encode('notifications.dispatch.sms', dispatch) },
      ]);
    });
    return reply
      .code(202)
      .send({ status: 'code_sent', expires_at: new Date(expiresAt).toISOString(), attempts_allowed: limits.maxAttempts });
  });

  app.post('/v1/contacts/phone/verification/confirm', async (request, reply) => {
    const user = caller(request);
    const body = request.body;
    const code = isPlainObject(body) && typeof body.code === 'string' ? body.code.trim() : null;
    if (code === null || !isWellFormedCode(code) || (isPlainObject(body) && Object.keys(body).some((k) => k !== 'code'))) {
      return sendFieldErrors(reply, 'invalid_request', [
        { field: 'code', message: 'must be the 6 digits sent by SMS, as {"code": "123456"}' },
      ]);
    }
    const now = deps.clock();
    const outcome = await deps.db.transaction().execute(async (trx) => {
      const contacts = await lockContacts(trx, deps.contacts, user.tenant, user.userId, now);
      const pending = await lockPendingVerification(trx, deps.contacts, user);
      if (!pending || pending.phone !== contacts.document.phone) {
        throw new Refusal(409, 'no_pending_verification', 'no verification is in progress for this phone number; start one first');
      }
      if (pending.attempts_left <= 0) return { kind: 'locked' } as const;
      if (now >= pending.expires_at.getTime()) return { kind: 'expired' } as const;
      if (!codeMatches(deps.codeHashSecret, pending.salt, code, pending.code_hash)) {
        // Committed although the answer is an error: a spent attempt must stay spent.
        const attemptsLeft = await spendAttempt(trx, pending.id);
        return attemptsLeft > 0 ? ({ kind: 'wrong', attemptsLeft } as const) : ({ kind: 'locked' } as const);
      }
      await markVerified(trx, pending.id, now);
      const stored = await saveAndPublishContacts(deps, trx, user.tenant, user.userId, { ...contacts.document, phone_verified: true }, now);
      return { kind: 'verified', stored } as const;
    });
    switch (outcome.kind) {
      case 'verified':
        return contactsView(outcome.stored);
      case 'wrong':
        return sendError(reply, 400, 'invalid_code', `the code is not correct; ${outcome.attemptsLeft} attempt(s) left`, {
          attempts_left: outcome.attemptsLeft,
        });
      case 'locked':
        return sendError(reply, 410, 'too_many_attempts', 'too many wrong codes; request a new code', { attempts_left: 0 });
      case 'expired':
        return sendError(reply, 410, 'code_expired', 'the code has expired; request a new code');
    }
  });
}
