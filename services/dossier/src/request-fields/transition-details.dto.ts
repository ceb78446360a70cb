import { FEE_PAYMENT_CHANNELS, type FeePaymentChannel } from '@backbone/contracts';
import { IsBoundedInstant } from '@backbone/platform';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { stackedDecorators } from './stacked-decorators';

/**
 * What a transition may carry beyond its action, read by applyPlannedTransition: a live transition's
 * request body and a step of an imported history both provide it, and are validated by the same
 * field rules below (decorators, not a base class, so that each request keeps its errors' order).
 */
export interface TransitionDetails {
  reason?: string;
  /** request-payment (default: the procedure's fee) and record-payment (default: the amount requested). */
  amountVnd?: number;
  paymentChannel?: FeePaymentChannel;
  /** resolve: SHA-256 of the result document, required when the procedure's result must be signed. */
  resultDocumentSha256?: string;
  /** issue-apology (form 04): the new date promised to the citizen (UTC ISO-8601). */
  newDueAt?: string;
  /** reject-result (the consumer of signature.rejected.v1 only): the rejected signature saga. */
  signatureId?: string;
}

export const ReasonField = (): PropertyDecorator =>
  stackedDecorators(IsOptional(), IsString(), Length(1, 2000));

export const AmountVndField = (): PropertyDecorator =>
  stackedDecorators(IsOptional(), IsInt(), Min(0), Max(1_000_000_000_000));

export const PaymentChannelField = (): PropertyDecorator =>
  stackedDecorators(IsOptional(), IsIn(FEE_PAYMENT_CHANNELS));

export const ResultDocumentSha256Field = (): PropertyDecorator =>
  stackedDecorators(
    IsOptional(),
    Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 digest in lower-case hex' }),
  );

export const NewDueAtField = (): PropertyDecorator => stackedDecorators(IsOptional(), IsBoundedInstant());
