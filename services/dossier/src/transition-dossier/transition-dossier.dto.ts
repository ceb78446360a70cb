import type { FeePaymentChannel } from '@backbone/contracts';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import {
  AmountVndField,
  NewDueAtField,
  PaymentChannelField,
  ReasonField,
  ResultDocumentSha256Field,
  type TransitionDetails,
} from '../request-fields/transition-details.dto';

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

export class TransitionDossierDto implements TransitionDetails {
  /** The version the caller last saw (or send `If-Match: "<version>"`); a stale one gets 409. */
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;

  @ReasonField()
  reason?: string;

  /** request-payment (default: the procedure's fee) and record-payment (default: the amount requested). */
  @AmountVndField()
  amountVnd?: number;

  @PaymentChannelField()
  paymentChannel?: FeePaymentChannel;

  /** record-payment: the result was ready before the payment request, so paying resolves the dossier. */
  @IsOptional()
  @IsBoolean()
  resolve?: boolean;

  /** resolve: SHA-256 of the result document, required when the procedure's result must be signed. */
  @ResultDocumentSha256Field()
  resultDocumentSha256?: string;

  /** issue-apology (form 04): the new date promised to the citizen (UTC ISO-8601). */
  @NewDueAtField()
  newDueAt?: string;
}
