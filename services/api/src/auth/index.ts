export { signUserToken, verifyUserToken, InvalidTokenError, type UserClaims } from './jwt';
export { requireUser, requireOperator, sendAuthError } from './authenticate';
