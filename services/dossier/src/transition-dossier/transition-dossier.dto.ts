import { FEE_PAYMENT_CHANNELS, type FeePaymentChannel } from '@backbone/contracts';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

/** The URL actions and the lifecycle actions they perform. */
export const URL_ACTIONS = {
  accept: 'receive',
  refuse: 'refuse-at-intake',
  'start-processing': 'start-processing',
  'request-supplement': 'request-supplement',
  'provide-supplement': 'provide-supplement',
  'request-payment': 'request-payment',
  'record-payment': 'record-payment',
  resolve: 'resolve',
  'return-result': 'return-result',
  withdraw: 'withdraw',
  stop: 'stop',
  'issue-apology': 'issue-apology',
} as const;
export type UrlAction = keyof typeof URL_ACTIONS;

export class TransitionDossierDto {
  /** The version the caller last saw (or send `If-Match: "<version>"`); a stale one gets 409. */
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  /** request-payment (default: the procedure's fee) and record-payment (default: the amount requested). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  amountVnd?: number;

  @IsOptional()
  @IsIn(FEE_PAYMENT_CHANNELS)
  paymentChannel?: FeePaymentChannel;

  /** record-payment: the result was ready before the payment request, so paying resolves the dossier. */
  @IsOptional()
  @IsBoolean()
  resolve?: boolean;

  /** resolve: SHA-256 of the result document, required when the procedure's result must be signed. */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 digest in lower-case hex' })
  resultDocumentSha256?: string;

  /** issue-apology (form 04): the new date promised to the citizen (UTC ISO-8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  newDueAt?: string;
}
