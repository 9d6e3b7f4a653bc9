export { signUserToken, verifyUserToken, InvalidTokenError, type Role, type UserClaims, type VerifiedClaims } from './jwt';
export { requireUser, requireOperator, sendAuthError } from './authenticate';
export { TenantScopes, EVERY_TENANT, type AdminScope } from './tenant-scopes';
