/**
 * Development tokens for the demo's API: a user token for the demo event's recipient and an operator
 * token, signed with the JWT secret the demo generated for this run (DEMO_JWT_SECRET). Prints
 * `NAME=value` lines for the shell.
 */
import { signUserToken } from '../../../services/api/src/auth/jwt';

const TWELVE_HOURS = 12 * 3600;

function main(): void {
  const secret = process.env.DEMO_JWT_SECRET ?? '';
  if (secret.length < 32) throw new Error('DEMO_JWT_SECRET must be set (at least 32 characters)');
  const tenant = process.env.DEMO_TENANT ?? 'default';
  const user = signUserToken(secret, { tenant, userId: process.env.DEMO_USER ?? 'user123', role: 'user' }, TWELVE_HOURS);
  const operator = signUserToken(secret, { tenant, userId: 'demo-operator', role: 'operator' }, TWELVE_HOURS);
  process.stdout.write(`DEMO_USER_TOKEN=${user}\nDEMO_OPERATOR_TOKEN=${operator}\n`);
}

main();
