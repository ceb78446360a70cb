import { ConflictException, Injectable } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import { type AuthenticatedUser, AuditTrail, ValidationProblemException } from '@backbone/platform';
import { createHash } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { PartyCell } from '../cells/cell.entities';
import { cellScopeCondition, cellScopeOf, notFound, scopeCoversCell } from '../cells/cell-scope';
import { PartyMember } from '../members/member.entities';
import { PartyFeePayment, PartyFeePaymentRequest } from '../payments/payment.entities';
import { PaymentRecorder } from '../payments/record-payment';
import {
  type LineOutcome,
  PartyFeeLineResolution,
  PartyFeeStatement,
  PartyFeeStatementLine,
} from './statement.entities';
import {
  parseCamt053,
  parseStatementCsv,
  type ParsedStatement,
  type StatementLine,
  StatementFormatError,
} from './parse-statement';
import type { ImportStatementDto, ResolveLineDto } from './statements.dto';

export interface ImportResult {
  statementId: string;
  account: string;
  cellId: string;
  lines: number;
  /** Lines seen in an earlier import: skipped, nothing matched again. */
  alreadyImported: number;
  matchedPayments: number;
  recordedPayments: number;
  unmatched: number;
}

/**
 * Bank statements of a cell's account: each credit line is matched by reference and amount —
 * to a VietQR payment request (the payment is recorded now), to a payment already recorded (the
 * portal's, settled into the account), or to a member's standing reference (recorded) — or listed
 * as unmatched for the treasurer. A line is stored once per account and bank reference, so a
 * statement imported again matches nothing new.
 */
@Injectable()
export class StatementsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recorder: PaymentRecorder,
    private readonly auditTrail: AuditTrail,
  ) {}

  async import(input: ImportStatementDto, user: AuthenticatedUser): Promise<ImportResult> {
    let parsed: ParsedStatement;
    try {
      if (input.format === 'csv') {
        if (!input.account)
          throw new ValidationProblemException([
            { field: 'account', reason: 'is required for a CSV statement' },
          ]);
        parsed = parseStatementCsv(input.content, input.account);
      } else parsed = parseCamt053(input.content);
    } catch (error) {
      if (error instanceof StatementFormatError)
        throw new ValidationProblemException([{ field: 'content', reason: error.message }]);
      throw error;
    }
    const cells = await this.dataSource.getRepository(PartyCell).findBy({ bankAccount: parsed.account });
    const scope = cellScopeOf(user, 'write');
    const cell = cells.find((c) => scopeCoversCell(scope, c));
    if (!cell) throw notFound(`cell with account ${parsed.account}`);

    const statement = Object.assign(new PartyFeeStatement(), {
      id: uuidv7(),
      cellId: cell.id,
      account: parsed.account,
      format: input.format,
      statementReference: parsed.statementReference,
      contentSha256: createHash('sha256').update(input.content).digest('hex'),
      lineCount: parsed.lines.length,
      newLineCount: 0,
      importedAt: new Date(),
      importedBy: user.subject,
    });
    const known = new Set(
      (
        (await this.dataSource.query(
          `SELECT line_key FROM party_fee_statement_lines WHERE account = $1 AND line_key = ANY($2::text[])`,
          [parsed.account, parsed.lines.map((line) => line.lineKey)],
        )) as { line_key: string }[]
      ).map((row) => row.line_key),
    );
    const fresh = parsed.lines.filter((line) => !known.has(line.lineKey));
    statement.newLineCount = fresh.length;
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(PartyFeeStatement, statement);
      await this.auditTrail.record(manager, {
        action: 'party-fee.statement.import',
        targetType: 'party-fee-statement',
        targetId: statement.id,
        unitCode: cell.unitCode,
      });
    });
    const result: ImportResult = {
      statementId: statement.id,
      account: parsed.account,
      cellId: cell.id,
      lines: parsed.lines.length,
      alreadyImported: parsed.lines.length - fresh.length,
      matchedPayments: 0,
      recordedPayments: 0,
      unmatched: 0,
    };
    const seen = new Set<string>();
    for (const line of fresh) {
      if (seen.has(line.lineKey)) continue;
      seen.add(line.lineKey);
      const { outcome, paymentId } = await this.match(line, user);
      const inserted = (await this.dataSource.query(
        `INSERT INTO party_fee_statement_lines (id, statement_id, cell_id, account, line_key, booked_on, amount_vnd, reference, matched_payment_id, outcome, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          uuidv7(),
          statement.id,
          cell.id,
          parsed.account,
          line.lineKey,
          line.bookedOn,
          line.amountVnd,
          line.reference,
          paymentId,
          outcome,
        ],
      )) as { id: string }[];
      if (inserted.length === 0) continue; // a concurrent import of the same statement stored it
      if (outcome === 'matched-payment') result.matchedPayments += 1;
      else if (outcome === 'recorded-payment') result.recordedPayments += 1;
      else result.unmatched += 1;
    }
    return result;
  }

  /** One line: a request's reference and amount, a recorded payment's, or a member's standing reference. */
  private async match(
    line: StatementLine,
    user: AuthenticatedUser,
  ): Promise<{ outcome: LineOutcome; paymentId: string | null }> {
    if (!line.reference) return { outcome: 'unmatched', paymentId: null };
    const unmatchedPayment = (await this.dataSource.query(
      `SELECT p.id FROM party_fee_payments p
        WHERE p.reference = $1 AND p.amount_vnd = $2
          AND NOT EXISTS (SELECT 1 FROM party_fee_statement_lines l WHERE l.matched_payment_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM party_fee_reversals r WHERE r.payment_id = p.id)
        ORDER BY p.paid_at LIMIT 1`,
      [line.reference, line.amountVnd],
    )) as { id: string }[];
    if (unmatchedPayment[0]) return { outcome: 'matched-payment', paymentId: unmatchedPayment[0].id };
    const request = await this.dataSource
      .getRepository(PartyFeePaymentRequest)
      .findOneBy({ reference: line.reference });
    if (request && request.amountVnd === line.amountVnd) {
      const paymentId = await this.recordFromLine(line, request.memberId, user, request.id);
      return paymentId
        ? { outcome: 'recorded-payment', paymentId }
        : { outcome: 'unmatched', paymentId: null };
    }
    if (!request && line.reference.startsWith('DP')) {
      const member = await this.dataSource
        .getRepository(PartyMember)
        .findOneBy({ paymentReference: line.reference });
      if (member) {
        const paymentId = await this.recordFromLine(line, member.id, user, null);
        return paymentId
          ? { outcome: 'recorded-payment', paymentId }
          : { outcome: 'unmatched', paymentId: null };
      }
    }
    return { outcome: 'unmatched', paymentId: null };
  }

  private async recordFromLine(
    line: StatementLine,
    memberId: string,
    user: AuthenticatedUser,
    requestId: string | null,
  ): Promise<string | null> {
    const paidAt = new Date(`${line.bookedOn}T00:00:00+07:00`);
    try {
      const answer = await this.recorder.record(
        {
          memberId,
          amountVnd: line.amountVnd,
          method: 'vietqr',
          paidAt,
          reference: line.reference,
          requestId,
          externalId: requestId ? null : `line:${line.lineKey}`,
          recordedBy: user.subject,
        },
        () => true,
      );
      return answer?.paymentId ?? null;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        // The request (or this line) was already paid: the same payment when no line matched it yet
        // (an import that stopped between the two), otherwise a second transfer for the treasurer.
        const existing = await this.dataSource
          .getRepository(PartyFeePayment)
          .findOneBy(requestId ? { requestId } : { externalId: `line:${line.lineKey}` });
        if (!existing) return null;
        const matched = await this.dataSource
          .getRepository(PartyFeeStatementLine)
          .findOneBy({ matchedPaymentId: existing.id });
        return matched ? null : existing.id;
      }
      throw error;
    }
  }

  /** Lines no payment matched and no treasurer resolved yet, in the caller's cells. */
  async unmatched(cellId: string | undefined, user: AuthenticatedUser) {
    const params: unknown[] = [];
    const conditions = [
      cellScopeCondition(cellScopeOf(user), 'c', params),
      `l.outcome = 'unmatched'`,
      'r.id IS NULL',
    ];
    if (cellId) {
      params.push(cellId);
      conditions.push(`l.cell_id = $${params.length}`);
    }
    const lines = (await this.dataSource.query(
      `SELECT l.id, l.cell_id AS "cellId", l.account, l.booked_on::text AS "bookedOn", l.amount_vnd::int8::text AS "amountVnd",
              l.reference, l.statement_id AS "statementId"
         FROM party_fee_statement_lines l JOIN party_cells c ON c.id = l.cell_id
         LEFT JOIN party_fee_line_resolutions r ON r.line_id = l.id
        WHERE ${conditions.join(' AND ')} ORDER BY l.booked_on, l.id LIMIT 1000`,
      params,
    )) as { amountVnd: string }[];
    return { lines: lines.map((line) => ({ ...line, amountVnd: Number(line.amountVnd) })) };
  }

  /** A treasurer resolves an unmatched line: a payment for the member it was for, or a note only. */
  async resolve(lineId: string, input: ResolveLineDto, user: AuthenticatedUser) {
    const line = await this.dataSource.getRepository(PartyFeeStatementLine).findOneBy({ id: lineId });
    if (!line) throw notFound(`statement line ${lineId}`);
    const cell = await this.dataSource.getRepository(PartyCell).findOneByOrFail({ id: line.cellId });
    if (!scopeCoversCell(cellScopeOf(user, 'write'), cell)) throw notFound(`statement line ${lineId}`);
    if (line.outcome !== 'unmatched') throw new ConflictException('The line was matched to a payment');
    if (await this.dataSource.getRepository(PartyFeeLineResolution).findOneBy({ lineId }))
      throw new ConflictException('The line was already resolved');
    let paymentId: string | null = null;
    if (input.memberId) {
      const member = await this.dataSource.getRepository(PartyMember).findOneBy({ id: input.memberId });
      if (!member) throw notFound(`member ${input.memberId}`);
      const recorded = await this.recorder.record(
        {
          memberId: member.id,
          amountVnd: line.amountVnd,
          method: 'vietqr',
          paidAt: new Date(`${line.bookedOn}T00:00:00+07:00`),
          reference: line.reference || null,
          externalId: `line:${line.id}`,
          recordedBy: user.subject,
        },
        (_m, memberCell) => scopeCoversCell(cellScopeOf(user, 'write'), memberCell),
      );
      if (!recorded) throw notFound(`member ${input.memberId}`);
      paymentId = recorded.paymentId;
    }
    const resolution = Object.assign(new PartyFeeLineResolution(), {
      id: uuidv7(),
      lineId,
      paymentId,
      note: input.note,
      resolvedAt: new Date(),
      resolvedBy: user.subject,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(PartyFeeLineResolution, resolution);
      await this.auditTrail.record(manager, {
        action: 'party-fee.statement-line.resolve',
        targetType: 'party-fee-statement-line',
        targetId: lineId,
        unitCode: cell.unitCode,
      });
    });
    return { lineId, paymentId, note: input.note };
  }
}
