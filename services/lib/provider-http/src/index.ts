export { GuardedJsonClient, type GuardedClientOptions, type HttpReply } from './guarded-client';
export { excerpt, httpFailure, isRetryableStatus, isSuccess, jsonOf } from './http-failure';
export { AddressGuard } from './address-guard';
export { retryAfterMs } from './retry-after';
export { TenantDestinations } from './tenant-destinations';
export { httpProviderSettings, guardedClientOptions, type HttpProviderSettings, type HttpProviderDefaults } from './http-provider-settings';
