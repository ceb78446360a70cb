import { PlatformAuditLog1767225600000 } from './1767225600000-platform-audit-log';
import { PlatformIdempotencyKeys1767225600001 } from './1767225600001-platform-idempotency-keys';
import { PlatformAuditChain1767225600002 } from './1767225600002-platform-audit-chain';
import { PlatformAuditRecordMac1767225600003 } from './1767225600003-platform-audit-record-mac';

/** The platform's tables; PlatformModule runs them with the service's own migrations. */
export const PLATFORM_MIGRATIONS = [
  PlatformAuditLog1767225600000,
  PlatformIdempotencyKeys1767225600001,
  PlatformAuditChain1767225600002,
  PlatformAuditRecordMac1767225600003,
];
