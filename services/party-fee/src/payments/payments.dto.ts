import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsBoundedInstant, ValidationProblemException } from '@backbone/platform';

/** One payment is at most 1 billion VND (a member paying years ahead stays far below). */
export const MAX_PAYMENT_VND = 1_000_000_000;

export class CashPaymentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ example: 50_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_PAYMENT_VND)
  amountVnd!: number;

  /** When the treasurer received it (default: now). */
  @ApiPropertyOptional({ example: '2026-02-10T09:00:00+07:00' })
  @IsOptional()
  @IsBoundedInstant()
  paidAt?: string;
}

/**
 * The national public-service portal's callback after a member paid there. `signature` is the
 * hex HMAC-SHA-256, with the key shared with the portal (PORTAL_CALLBACK_KEY), of the other fields
 * as `amountVnd=…&paidAt=…&reference=…&transactionId=…` (names sorted, values as sent).
 */
export class PortalCallbackDto {
  @ApiProperty({ example: 'DVCQG-20260210-000123', maxLength: 64 })
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'transactionId must be 1–64 letters, digits, dots, hyphens or underscores',
  })
  transactionId!: string;

  /** A payment request's reference, or the member's standing payment reference. */
  @ApiProperty({ example: 'DPABCDEFGHJKLMNPQR' })
  @Matches(/^[0-9A-Z]{6,25}$/, { message: 'reference must be 6–25 upper-case letters or digits' })
  reference!: string;

  @ApiProperty({ example: 50_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_PAYMENT_VND)
  amountVnd!: number;

  @ApiProperty({ example: '2026-02-10T02:00:00Z' })
  @IsBoundedInstant()
  paidAt!: string;

  @ApiProperty({ example: '9f…', description: 'hex HMAC-SHA-256 of the other fields' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'signature must be 64 lower-case hex characters' })
  signature!: string;
}

export class PaymentRequestDto {
  /** The amount the code asks for; default: everything the member owes now. */
  @ApiPropertyOptional({ example: 150_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAYMENT_VND)
  amountVnd?: number;
}

export class ReversalDto {
  @ApiProperty({ example: 'Settlement failed at the bank', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

/** Every payment call carries an Idempotency-Key: a retry is answered from it, never recorded twice. */
export function requireIdempotencyKey(key: string | undefined): void {
  if (key === undefined || key.trim() === '')
    throw new ValidationProblemException([
      { field: 'Idempotency-Key', reason: 'is required on every payment call (a retry must not pay twice)' },
    ]);
}
