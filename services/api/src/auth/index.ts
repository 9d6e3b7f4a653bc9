export { signUserToken, InvalidTokenError, type Role, type SignOptions, type UserClaims, type VerifiedClaims } from './jwt';
export { TokenVerifier, TokenKeysUnavailableError, type HmacKey, type TokenSettings } from './token-verifier';
export { requireUser, requireOperator, sendAuthError } from './authenticate';
export { TenantScopes, EVERY_TENANT, type AdminScope } from './tenant-scopes';
