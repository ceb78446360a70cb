import { Inject, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import {
  type AuthenticatedUser,
  assertServiceClientMay,
  AuditTrail,
  SERVICE_CLIENT_REGISTRY,
  type ServiceClientRegistry,
  ValidationProblemException,
} from '@backbone/platform';
import { toDataURL } from 'qrcode';
import { DataSource, QueryFailedError } from 'typeorm';
import { PartyCell } from '../cells/cell.entities';
import { cellScopeOf, notFound, scopeCoversCell } from '../cells/cell-scope';
import { PartyFeeConfig } from '../config';
import { PartyMember } from '../members/member.entities';
import { newReference } from '../members/members.handler';
import { buildVietQrPayload } from '../vietqr/vietqr-payload';
import { openTotal } from './allocation';
import { memberMonths } from './member-ledger';
import {
  PartyFeeAllocation,
  PartyFeePayment,
  PartyFeePaymentRequest,
  PartyFeeReversal,
} from './payment.entities';
import type { CashPaymentDto, PaymentRequestDto, PortalCallbackDto } from './payments.dto';
import { verifyPortalSignature } from './portal-signature';
import { formatReceipt, type PaymentAnswer, PaymentRecorder } from './record-payment';

@Injectable()
export class PaymentsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recorder: PaymentRecorder,
    private readonly auditTrail: AuditTrail,
    private readonly config: PartyFeeConfig,
    @Optional() @Inject(SERVICE_CLIENT_REGISTRY) private readonly serviceClients?: ServiceClientRegistry,
  ) {}

  private writerFor(user: AuthenticatedUser) {
    const scope = cellScopeOf(user, 'write');
    return (_member: PartyMember, cell: PartyCell) => scopeCoversCell(scope, cell);
  }

  /** Cash collected by the cell treasurer (or the committee), with a receipt. */
  async cash(input: CashPaymentDto, user: AuthenticatedUser): Promise<PaymentAnswer> {
    const paidAt = input.paidAt ? new Date(input.paidAt) : new Date();
    if (paidAt.getTime() > Date.now() + 5 * 60_000)
      throw new ValidationProblemException([{ field: 'paidAt', reason: 'must not be in the future' }]);
    const answer = await this.recorder.record(
      {
        memberId: input.memberId,
        amountVnd: input.amountVnd,
        method: 'cash',
        paidAt,
        recordedBy: user.subject,
      },
      this.writerFor(user),
    );
    if (!answer) throw notFound(`member ${input.memberId}`);
    return answer;
  }

  /**
   * The portal's signed callback: the signature is checked before anything is read; the reference
   * names a payment request (VietQR code issued by this service) or the member's standing
   * reference. One payment per portal transaction id, whatever the Idempotency-Key.
   */
  async portal(input: PortalCallbackDto, user: AuthenticatedUser): Promise<PaymentAnswer> {
    const fields = {
      transactionId: input.transactionId,
      reference: input.reference,
      amountVnd: input.amountVnd,
      paidAt: input.paidAt,
    };
    if (!verifyPortalSignature(fields, input.signature, this.config.PORTAL_CALLBACK_KEY))
      throw new UnauthorizedException('The callback signature does not verify');
    const request = await this.dataSource
      .getRepository(PartyFeePaymentRequest)
      .findOneBy({ reference: input.reference });
    const member = request
      ? await this.dataSource.getRepository(PartyMember).findOneBy({ id: request.memberId })
      : await this.dataSource.getRepository(PartyMember).findOneBy({ paymentReference: input.reference });
    if (!member) throw notFound(`payment reference ${input.reference}`);
    const existing = await this.dataSource
      .getRepository(PartyFeePayment)
      .findOneBy({ externalId: input.transactionId });
    if (existing) return this.answerFor(existing);
    try {
      const answer = await this.recorder.record(
        {
          memberId: member.id,
          amountVnd: input.amountVnd,
          method: 'portal',
          paidAt: new Date(input.paidAt),
          reference: input.reference,
          externalId: input.transactionId,
          requestId: null,
          recordedBy: user.subject,
        },
        (_m, cell) => {
          assertServiceClientMay(this.serviceClients, user, 'party-fee.payment.portal', cell.unitCode);
          return true;
        },
      );
      if (!answer) throw notFound(`payment reference ${input.reference}`);
      return answer;
    } catch (error) {
      // The same portal transaction arrived twice at once under different keys: one payment.
      const found = await this.duplicateOf(error, input.transactionId);
      if (found) return this.answerFor(found);
      throw error;
    }
  }

  private async duplicateOf(error: unknown, externalId: string): Promise<PartyFeePayment | null> {
    if (!(error instanceof QueryFailedError) || (error.driverError as { code?: string }).code !== '23505')
      return null;
    return this.dataSource.getRepository(PartyFeePayment).findOneBy({ externalId });
  }

  /** A VietQR code for the cell's account with the member's reference and the amount. */
  async paymentRequest(memberId: string, input: PaymentRequestDto, user: AuthenticatedUser) {
    const member = await this.dataSource.getRepository(PartyMember).findOneBy({ id: memberId });
    if (!member) throw notFound(`member ${memberId}`);
    const cell = await this.dataSource.getRepository(PartyCell).findOneByOrFail({ id: member.cellId });
    if (!scopeCoversCell(cellScopeOf(user, 'write'), cell)) throw notFound(`member ${memberId}`);
    const amountVnd = input.amountVnd ?? openTotal(await memberMonths(this.dataSource, memberId));
    if (amountVnd <= 0)
      throw new ValidationProblemException([
        { field: 'amountVnd', reason: 'the member owes nothing now: give the amount to pay in advance' },
      ]);
    const reference = newReference('PF');
    const payload = buildVietQrPayload({
      bankBin: cell.bankBin,
      accountNumber: cell.bankAccount,
      amountVnd,
      reference,
    });
    const request = Object.assign(new PartyFeePaymentRequest(), {
      id: uuidv7(),
      memberId,
      cellId: cell.id,
      reference,
      amountVnd,
      payload,
      createdAt: new Date(),
      createdBy: user.subject,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(PartyFeePaymentRequest, request);
      await this.auditTrail.record(manager, {
        action: 'party-fee.payment-request.create',
        targetType: 'party-fee-payment-request',
        targetId: request.id,
        unitCode: cell.unitCode,
      });
    });
    return {
      requestId: request.id,
      memberId,
      reference,
      amountVnd,
      bankBin: cell.bankBin,
      accountNumber: cell.bankAccount,
      payload,
      qrImage: await toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, width: 320 }),
    };
  }

  async reverse(paymentId: string, reason: string, user: AuthenticatedUser) {
    const answer = await this.recorder.reverse(paymentId, reason, user.subject, this.writerFor(user));
    if (!answer) throw notFound(`payment ${paymentId}`);
    return answer;
  }

  async find(paymentId: string, user: AuthenticatedUser) {
    const payment = await this.dataSource.getRepository(PartyFeePayment).findOneBy({ id: paymentId });
    if (!payment) throw notFound(`payment ${paymentId}`);
    const cell = await this.dataSource.getRepository(PartyCell).findOneByOrFail({ id: payment.cellId });
    if (!scopeCoversCell(cellScopeOf(user), cell)) throw notFound(`payment ${paymentId}`);
    const reversal = await this.dataSource.getRepository(PartyFeeReversal).findOneBy({ paymentId });
    return {
      ...(await this.answerFor(payment)),
      reversed: reversal
        ? { reversalId: reversal.id, reason: reversal.reason, reversedAt: reversal.reversedAt.toISOString() }
        : null,
    };
  }

  async answerFor(payment: PartyFeePayment): Promise<PaymentAnswer> {
    const cell = await this.dataSource.getRepository(PartyCell).findOneByOrFail({ id: payment.cellId });
    const member = await this.dataSource.getRepository(PartyMember).findOneByOrFail({ id: payment.memberId });
    const allocations = await this.dataSource.getRepository(PartyFeeAllocation).find({
      where: { paymentId: payment.id, source: 'payment' },
      order: { period: 'ASC' },
    });
    return {
      paymentId: payment.id,
      memberId: payment.memberId,
      amountVnd: payment.amountVnd,
      method: payment.method,
      channel: payment.channel,
      paidAt: payment.paidAt.toISOString(),
      receipt: formatReceipt(cell.code, payment.receiptYear, payment.receiptNumber),
      receiptYear: payment.receiptYear,
      receiptNumber: payment.receiptNumber,
      allocations: allocations.map((a) => ({ period: a.period, amountVnd: a.amountVnd })),
      creditedVnd: payment.creditedVnd,
      creditVnd: member.creditVnd,
    };
  }
}
