export { signUserToken, verifyUserToken, InvalidTokenError, type UserClaims, type VerifiedClaims } from './jwt';
export { requireUser, requireOperator, sendAuthError } from './authenticate';
