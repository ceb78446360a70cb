import { PlatformAuditLog1767225600000 } from './1767225600000-platform-audit-log';
import { PlatformIdempotencyKeys1767225600001 } from './1767225600001-platform-idempotency-keys';

/** The platform's tables; PlatformModule runs them with the service's own migrations. */
export const PLATFORM_MIGRATIONS = [PlatformAuditLog1767225600000, PlatformIdempotencyKeys1767225600001];
