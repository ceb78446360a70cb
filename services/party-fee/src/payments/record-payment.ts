import { HttpStatus, Injectable } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import { AuditTrail, insertStatement, type SqlStatement, TypedProblemException } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { PartyCell } from '../cells/cell.entities';
import { PartyFeeConfig } from '../config';
import { hanoiPeriodOf } from '../fee-rules/period';
import { changeMember, type MemberWriteContext } from '../members/change-member';
import { memberEvents } from '../members/member-events';
import type { PartyMember } from '../members/member.entities';
import { allocatePayment, type Allocation, reversePayment } from './allocation';
import { memberMonths } from './member-ledger';
import {
  PartyFeeAllocation,
  PartyFeePayment,
  PartyFeeReversal,
  type AllocationSource,
  type PaymentMethod,
} from './payment.entities';

export interface NewPayment {
  memberId: string;
  amountVnd: number;
  method: PaymentMethod;
  paidAt: Date;
  reference?: string | null;
  requestId?: string | null;
  externalId?: string | null;
  /** Who recorded it (a treasurer, the portal, the statement import). */
  recordedBy: string;
}

export interface PaymentAnswer {
  paymentId: string;
  memberId: string;
  amountVnd: number;
  method: PaymentMethod;
  channel: 'online' | 'cash';
  paidAt: string;
  receipt: string;
  receiptYear: number;
  receiptNumber: number;
  allocations: { period: string; amountVnd: number }[];
  creditedVnd: number;
  creditVnd: number;
}

export interface ReversalAnswer {
  reversalId: string;
  paymentId: string;
  amountVnd: number;
  reason: string;
  reversedAt: string;
  takenBack: { period: string; amountVnd: number }[];
  creditVnd: number;
}

/**
 * Records money received from a member and takes it back: both through the member's write path
 * (changeMember), so a payment and its allocations, the member's credit, the receipt, the event
 * and the audit record are one statement, and concurrent payments of one member are serialised by
 * the member row's version.
 */
@Injectable()
export class PaymentRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly config: PartyFeeConfig,
  ) {}

  private get context(): MemberWriteContext {
    return {
      dataSource: this.dataSource,
      topic: this.config.PARTY_FEE_EVENTS_TOPIC,
      auditTrail: this.auditTrail,
    };
  }

  /**
   * `mayWrite` decides on the member as read (unit scope); null when the member is not there (or
   * not the caller's).
   */
  async record(
    input: NewPayment,
    mayWrite: (member: PartyMember, cell: PartyCell) => boolean,
  ): Promise<PaymentAnswer | null> {
    let receipt: { cellId: string; year: number; number: number } | undefined;
    let cell: PartyCell | null = null;
    return changeMember<PaymentAnswer>(
      this.context,
      input.memberId,
      async (member) => {
        cell = await this.dataSource.getRepository(PartyCell).findOneBy({ id: member.cellId });
        return cell !== null && mayWrite(member, cell);
      },
      async (member) => {
        if (member.status === 'removed')
          throw new TypedProblemException(
            'urn:backbone:problem:party-member-removed',
            HttpStatus.CONFLICT,
            'The member was removed from the party: no fee can be recorded',
          );
        const memberCell = cell as unknown as PartyCell;
        const months = await memberMonths(this.dataSource, member.id);
        const plan = allocatePayment(input.amountVnd, months);
        const year = Number(hanoiPeriodOf(input.paidAt).slice(0, 4));
        // One number per request, kept across its retries (taken last, after every refusal).
        if (!receipt || receipt.cellId !== memberCell.id || receipt.year !== year)
          receipt = {
            cellId: memberCell.id,
            year,
            number: await this.takeReceiptNumber(memberCell.id, year),
          };
        const now = new Date();
        const channel = input.method === 'cash' ? 'cash' : 'online';
        const payment = Object.assign(new PartyFeePayment(), {
          id: uuidv7(),
          memberId: member.id,
          cellId: memberCell.id,
          unitCode: memberCell.unitCode,
          amountVnd: input.amountVnd,
          method: input.method,
          channel,
          reference: input.reference ?? null,
          requestId: input.requestId ?? null,
          externalId: input.externalId ?? null,
          creditedVnd: plan.creditVnd,
          paidAt: input.paidAt,
          recordedAt: now,
          recordedBy: input.recordedBy,
          receiptYear: year,
          receiptNumber: receipt.number,
        });
        member.creditVnd += plan.creditVnd;
        member.eventSequence += 1;
        const rows: SqlStatement[] = [this.insert(PartyFeePayment, payment)];
        rows.push(...this.allocationRows(member, memberCell, plan.allocations, 'payment', payment.id, now));
        const event = memberEvents.paid(
          { memberId: member.id, unitCode: memberCell.unitCode, sequence: member.eventSequence, at: now },
          {
            paymentId: payment.id,
            // The oldest month it paid; a payment that only adds credit counts for the month it was made.
            period: plan.allocations[0]?.period ?? hanoiPeriodOf(input.paidAt),
            amountVnd: input.amountVnd,
            channel,
            paidAt: input.paidAt.toISOString(),
          },
        );
        return {
          rows,
          events: [event],
          audit: {
            action: `party-fee.payment.${input.method}`,
            targetType: 'party-fee-payment',
            targetId: payment.id,
            unitCode: memberCell.unitCode,
          },
          answer: {
            paymentId: payment.id,
            memberId: member.id,
            amountVnd: payment.amountVnd,
            method: payment.method,
            channel,
            paidAt: payment.paidAt.toISOString(),
            receipt: formatReceipt(memberCell.code, year, receipt.number),
            receiptYear: year,
            receiptNumber: receipt.number,
            allocations: plan.allocations.map((a) => ({ period: a.period, amountVnd: a.amountVnd })),
            creditedVnd: plan.creditVnd,
            creditVnd: member.creditVnd,
          },
        };
      },
    );
  }

  /** A reversal is a new record that takes back what the payment allocated and credited. */
  async reverse(
    paymentId: string,
    reason: string,
    actor: string,
    mayWrite: (member: PartyMember, cell: PartyCell) => boolean,
  ): Promise<ReversalAnswer | null> {
    const payment = await this.dataSource.getRepository(PartyFeePayment).findOneBy({ id: paymentId });
    if (!payment) return null;
    let cell: PartyCell | null = null;
    return changeMember<ReversalAnswer>(
      this.context,
      payment.memberId,
      async (member) => {
        cell = await this.dataSource.getRepository(PartyCell).findOneBy({ id: member.cellId });
        const paymentCell = await this.dataSource.getRepository(PartyCell).findOneBy({ id: payment.cellId });
        return (
          cell !== null && (mayWrite(member, cell) || (paymentCell !== null && mayWrite(member, paymentCell)))
        );
      },
      async (member) => {
        const already = await this.dataSource.getRepository(PartyFeeReversal).findOneBy({ paymentId });
        if (already)
          throw new TypedProblemException(
            'urn:backbone:problem:payment-already-reversed',
            HttpStatus.CONFLICT,
            `Payment ${paymentId} was already reversed (${already.id})`,
          );
        const memberCell = cell as unknown as PartyCell;
        const own = (await this.dataSource.query(
          `SELECT assessment_id, period, sum(amount_vnd)::text AS amount FROM party_fee_allocations
            WHERE payment_id = $1 GROUP BY assessment_id, period`,
          [paymentId],
        )) as { assessment_id: string; period: string; amount: string }[];
        const months = await memberMonths(this.dataSource, member.id);
        const plan = reversePayment(
          own.map((row) => ({
            assessmentId: row.assessment_id,
            period: row.period,
            amountVnd: Number(row.amount),
          })),
          payment.creditedVnd,
          member.creditVnd,
          months,
        );
        const now = new Date();
        const reversal = Object.assign(new PartyFeeReversal(), {
          id: uuidv7(),
          paymentId,
          memberId: member.id,
          cellId: payment.cellId,
          unitCode: payment.unitCode,
          amountVnd: payment.amountVnd,
          reason,
          reversedAt: now,
          reversedBy: actor,
        });
        member.creditVnd += plan.creditDeltaVnd;
        member.eventSequence += 1;
        const rows: SqlStatement[] = [this.insert(PartyFeeReversal, reversal)];
        rows.push(...this.allocationRows(member, memberCell, plan.allocations, 'reversal', paymentId, now));
        const event = memberEvents.reversed(
          { memberId: member.id, unitCode: payment.unitCode, sequence: member.eventSequence, at: now },
          {
            paymentId,
            period: own[0]?.period ?? hanoiPeriodOf(payment.paidAt),
            amountVnd: payment.amountVnd,
            reason,
          },
        );
        return {
          rows,
          events: [event],
          audit: {
            action: 'party-fee.payment.reverse',
            targetType: 'party-fee-payment',
            targetId: paymentId,
            unitCode: payment.unitCode,
          },
          answer: {
            reversalId: reversal.id,
            paymentId,
            amountVnd: payment.amountVnd,
            reason,
            reversedAt: now.toISOString(),
            takenBack: plan.allocations.map((a) => ({ period: a.period, amountVnd: a.amountVnd })),
            creditVnd: member.creditVnd,
          },
        };
      },
    );
  }

  /**
   * The member's carried credit meets open months (after a new month is assessed), through the
   * member's write path; false when there was nothing to apply.
   */
  async applyCredit(memberId: string): Promise<boolean> {
    const applied = await changeMember<{ applied: number }>(
      this.context,
      memberId,
      () => true,
      async (member) => {
        if (member.creditVnd <= 0) return null;
        const months = await memberMonths(this.dataSource, member.id);
        const plan = allocatePayment(member.creditVnd, months);
        if (plan.allocations.length === 0) return null;
        const cell = await this.dataSource.getRepository(PartyCell).findOneByOrFail({ id: member.cellId });
        const applied = member.creditVnd - plan.creditVnd;
        member.creditVnd = plan.creditVnd;
        return {
          rows: this.allocationRows(member, cell, plan.allocations, 'credit', null, new Date()),
          events: [],
          audit: {
            action: 'party-fee.credit.apply',
            unitCode: cell.unitCode,
            actor: { subject: 'party-fee-assessment', roles: ['service'], unitCodes: [] },
          },
          answer: { applied },
        };
      },
    );
    return applied !== null;
  }

  /** Allocation rows of a change, in the member's current cell (where the money met the fee). */
  allocationRows(
    member: PartyMember,
    cell: PartyCell,
    allocations: readonly Allocation[],
    source: AllocationSource,
    paymentId: string | null,
    at: Date,
  ): SqlStatement[] {
    return allocations.map((allocation) =>
      this.insert(
        PartyFeeAllocation,
        Object.assign(new PartyFeeAllocation(), {
          id: uuidv7(),
          memberId: member.id,
          assessmentId: allocation.assessmentId,
          period: allocation.period,
          cellId: cell.id,
          unitCode: cell.unitCode,
          amountVnd: allocation.amountVnd,
          source,
          paymentId,
          createdAt: at,
        }),
      ),
    );
  }

  insert(target: Parameters<typeof insertStatement>[1], row: object): SqlStatement {
    return insertStatement(this.dataSource.manager, target, [row]) as SqlStatement;
  }

  /** Takes the cell's next receipt number for the year in its own statement (a short row lock). */
  private async takeReceiptNumber(cellId: string, year: number): Promise<number> {
    const rows = (await this.dataSource.query(
      `INSERT INTO party_fee_receipt_counters (cell_id, year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (cell_id, year) DO UPDATE SET last_number = party_fee_receipt_counters.last_number + 1
       RETURNING last_number`,
      [cellId, year],
    )) as { last_number: number }[];
    return rows[0]!.last_number;
  }
}

/** `CB-CODE/2026/000123`: the cell's code, the year and the number within it. */
export function formatReceipt(cellCode: string, year: number, number: number): string {
  return `${cellCode}/${year}/${String(number).padStart(6, '0')}`;
}
