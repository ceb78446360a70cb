import { ConflictException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import {
  type AuthenticatedUser,
  AuditTrail,
  BlindIndex,
  FieldCipher,
  type FieldProblem,
  insertStatement,
  Pseudonymizer,
  type SqlStatement,
  TypedProblemException,
  ValidationProblemException,
} from '@backbone/platform';
import { randomBytes } from 'node:crypto';
import { DataSource, In, QueryFailedError } from 'typeorm';
import { PartyFeeAdjustment } from '../assessments/assessment.entities';
import { reassessMonths } from '../assessments/reassess';
import { PartyCell } from '../cells/cell.entities';
import { cellScopeCondition, cellScopeOf, notFound, scopeCoversCell } from '../cells/cell-scope';
import { PartyFeeConfig } from '../config';
import { contractCategoryOf } from '../fee-rules/fee-rules';
import { FeeRuleTable } from '../fee-rules/fee-rule-table';
import type { BasisRecord, ExemptionRecord } from '../fee-rules/member-month';
import { addMonths, hanoiPeriodOf } from '../fee-rules/period';
import { memberMonths } from '../payments/member-ledger';
import { PartyFeeAllocation, PartyFeeArrearsMove } from '../payments/payment.entities';
import { changeMember, type MemberChange, type MemberWriteContext } from './change-member';
import { memberEvents } from './member-events';
import { PartyFeeExemption, PartyMember, PartyMemberBasis, PartyMemberHistoryEntry } from './member.entities';
import type {
  ExemptionDto,
  ImportMemberBatchDto,
  ImportMemberDto,
  MemberSearchDto,
  NewBasisDto,
  RegisterMemberDto,
  StatusDto,
  TransferDto,
} from './members.dto';
import { MAX_IMPORT_BACKDATE_DAYS } from './members.dto';

/** Cipher contexts and blind-index contexts: a value copied into another column does not decrypt. */
const CARD = 'party_member.card_number';
const NAME = 'party_member.name';
/** How far back a correction or an exemption may re-assess. */
const MAX_MONTHS_BACK = 24;

@Injectable()
export class MembersHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly config: PartyFeeConfig,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly feeRules: FeeRuleTable,
  ) {}

  private get context(): MemberWriteContext {
    return {
      dataSource: this.dataSource,
      topic: this.config.PARTY_FEE_EVENTS_TOPIC,
      auditTrail: this.auditTrail,
    };
  }

  private async cellInScope(
    cellId: string,
    user: AuthenticatedUser,
    access: 'read' | 'write',
  ): Promise<PartyCell> {
    const cell = await this.dataSource.getRepository(PartyCell).findOneBy({ id: cellId });
    if (!cell || !scopeCoversCell(cellScopeOf(user, access), cell)) throw notFound(`cell ${cellId}`);
    return cell;
  }

  /**
   * Registration on the digital platform: the member (name and card number encrypted, with blind
   * indexes), the first basis, the history row, `party-member.registered.v1` (a pseudonym, never the
   * card number) and the audit record, in one transaction.
   */
  async register(input: RegisterMemberDto, user: AuthenticatedUser) {
    return this.registerAt(input, user, new Date(), 'party-fee.member.register');
  }

  /**
   * A registration brought over with its own time (the city admin's import): the member, the history
   * and `party-member.registered.v1` carry that time, so the city's figures count it on the day it
   * happened; the audit record is of the import itself, now, by its caller.
   */
  async importMember(input: ImportMemberDto, user: AuthenticatedUser) {
    const registeredAt = checkedImportTime(input.registeredAt, 'registeredAt');
    const { registeredAt: _, ...registration } = input;
    return this.registerAt(registration, user, registeredAt, 'party-fee.member.import');
  }

  /**
   * Many back-dated registrations at once (a migration's or a simulated period's batches), all or
   * none: each checked as by importMember (a refusal names it: `members.<i>.<field>`), then written
   * in one transaction: members, bases and history rows in a few multi-row INSERTs, every
   * `party-member.registered.v1` in the outbox, and one `party-fee.member.import` audit record each.
   */
  async importMembers(input: ImportMemberBatchDto, user: AuthenticatedUser) {
    const cells = new Map<string, Promise<PartyCell>>();
    const cellOf = (cellId: string) => {
      let cell = cells.get(cellId);
      if (!cell) {
        cell = this.cellInScope(cellId, user, 'write');
        cells.set(cellId, cell);
      }
      return cell;
    };
    const problems: FieldProblem[] = [];
    const built: BuiltRegistration[] = [];
    for (const [index, row] of input.members.entries()) {
      try {
        const registeredAt = checkedImportTime(row.registeredAt, 'registeredAt');
        const { registeredAt: _, ...registration } = row;
        built.push(this.buildRegistration(registration, user, registeredAt, await cellOf(row.cellId)));
      } catch (error) {
        if (error instanceof ValidationProblemException)
          problems.push(...error.fieldProblems.map((p) => ({ ...p, field: `members.${index}.${p.field}` })));
        else if (error instanceof NotFoundException)
          problems.push({ field: `members.${index}.cellId`, reason: `no cell ${row.cellId} in your scope` });
        else throw error;
      }
    }
    if (problems.length > 0) throw new ValidationProblemException(problems);
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(
          PartyMember,
          built.map((b) => b.member),
        );
        const bases = built.flatMap((b) => (b.basis ? [b.basis] : []));
        if (bases.length > 0) await manager.insert(PartyMemberBasis, bases);
        await manager.insert(
          PartyMemberHistoryEntry,
          built.map((b) => b.history),
        );
        await addToOutbox(
          manager,
          built.map((b) => b.event),
          { topic: this.config.PARTY_FEE_EVENTS_TOPIC },
        );
        for (const { member, cell } of built)
          await this.auditTrail.record(manager, {
            action: 'party-fee.member.import',
            targetType: 'party-member',
            targetId: member.id,
            unitCode: cell.unitCode,
          });
      });
    } catch (error) {
      throw cardConflictOr(error);
    }
    return {
      imported: built.length,
      members: built.map(({ member }) => ({ id: member.id, paymentReference: member.paymentReference })),
    };
  }

  private async registerAt(
    input: RegisterMemberDto,
    user: AuthenticatedUser,
    now: Date,
    auditAction: 'party-fee.member.register' | 'party-fee.member.import',
  ) {
    const cell = await this.cellInScope(input.cellId, user, 'write');
    const { member, basis, history, event } = this.buildRegistration(input, user, now, cell);
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(PartyMember, member);
        if (basis) await manager.insert(PartyMemberBasis, basis);
        await manager.insert(PartyMemberHistoryEntry, history);
        await addToOutbox(manager, [event], { topic: this.config.PARTY_FEE_EVENTS_TOPIC });
        await this.auditTrail.record(manager, {
          action: auditAction,
          targetType: 'party-member',
          targetId: member.id,
          unitCode: cell.unitCode,
        });
      });
    } catch (error) {
      throw cardConflictOr(error);
    }
    return this.view(member, cell);
  }

  /** A registration's rows and event at `now` in `cell` (nothing written). */
  private buildRegistration(
    input: RegisterMemberDto,
    user: AuthenticatedUser,
    now: Date,
    cell: PartyCell,
  ): BuiltRegistration {
    const rule = this.feeRules.rules.find((r) => r.toPeriod === null) ?? this.feeRules.rules.at(-1)!;
    const fee = rule.categories[input.category];
    if (fee.kind === 'percent' && !input.basis)
      throw new ValidationProblemException([
        {
          field: 'basis',
          reason: `a ${input.category} member needs a monthly basis (${fee.basisKinds.join(' or ')})`,
        },
      ]);
    const feesFromPeriod = input.feesFromPeriod ?? hanoiPeriodOf(now);
    const member = Object.assign(new PartyMember(), {
      id: uuidv7(),
      cardNumberCipher: this.cipher.encrypt(input.cardNumber, CARD),
      cardNumberIndex: this.blindIndex.compute(input.cardNumber, CARD),
      nameCipher: this.cipher.encrypt(input.name, NAME),
      nameIndex: this.blindIndex.compute(input.name, NAME),
      cellId: cell.id,
      category: input.category,
      pastWorkingAge: input.pastWorkingAge ?? false,
      voluntaryVnd: input.voluntaryVnd ?? null,
      status: 'active' as const,
      feesFromPeriod,
      paymentReference: newReference('DP'),
      creditVnd: 0,
      eventSequence: 1,
      registeredAt: now,
      registeredBy: user.subject,
    });
    const event = memberEvents.registered(
      { memberId: member.id, unitCode: cell.unitCode, sequence: 1, at: now },
      {
        memberPseudonym: this.pseudonymizer.pseudonymize(input.cardNumber),
        partyCellId: cell.code,
        category: contractCategoryOf(input.category),
      },
    );
    return {
      cell,
      member,
      event,
      basis: input.basis
        ? Object.assign(new PartyMemberBasis(), {
            id: uuidv7(),
            memberId: member.id,
            fromPeriod: addMonths(feesFromPeriod, -1),
            kind: input.basis.kind,
            amountVnd: input.basis.amountVnd,
            leave: input.basis.leave ?? 'none',
            recordedAt: now,
            recordedBy: user.subject,
          })
        : undefined,
      history: {
        id: uuidv7(),
        memberId: member.id,
        change: 'registered',
        details: {
          cellId: cell.id,
          unitCode: cell.unitCode,
          category: input.category,
          status: 'active',
          feesFromPeriod,
        },
        occurredAt: now,
        actor: user.subject,
      },
    };
  }

  view(member: PartyMember, cell: PartyCell) {
    return {
      id: member.id,
      cardNumber: this.cipher.decrypt(member.cardNumberCipher, CARD),
      name: this.cipher.decrypt(member.nameCipher, NAME),
      cellId: member.cellId,
      cellCode: cell.code,
      unitCode: cell.unitCode,
      category: member.category,
      pastWorkingAge: member.pastWorkingAge,
      voluntaryVnd: member.voluntaryVnd,
      status: member.status,
      feesFromPeriod: member.feesFromPeriod,
      paymentReference: member.paymentReference,
      creditVnd: member.creditVnd,
      registeredAt: member.registeredAt.toISOString(),
    };
  }

  /** The member as a caller who serves its cell sees it: details, history, bases, and its ledger. */
  async find(id: string, user: AuthenticatedUser) {
    const member = await this.dataSource.getRepository(PartyMember).findOneBy({ id });
    if (!member) throw notFound(`member ${id}`);
    const cell = await this.dataSource.getRepository(PartyCell).findOneBy({ id: member.cellId });
    if (!cell || !scopeCoversCell(cellScopeOf(user), cell)) throw notFound(`member ${id}`);
    const [history, bases, exemptions, months] = await Promise.all([
      this.dataSource
        .getRepository(PartyMemberHistoryEntry)
        .find({ where: { memberId: id }, order: { occurredAt: 'ASC' }, take: 500 }),
      this.dataSource
        .getRepository(PartyMemberBasis)
        .find({ where: { memberId: id }, order: { fromPeriod: 'ASC', recordedAt: 'ASC' }, take: 500 }),
      this.dataSource
        .getRepository(PartyFeeExemption)
        .find({ where: { memberId: id }, order: { fromPeriod: 'ASC' }, take: 100 }),
      memberMonths(this.dataSource, id),
    ]);
    return {
      ...this.view(member, cell),
      history: history.map((h) => ({
        change: h.change,
        details: h.details,
        occurredAt: h.occurredAt.toISOString(),
        actor: h.actor,
      })),
      bases: bases.map((b) => ({
        fromPeriod: b.fromPeriod,
        kind: b.kind,
        amountVnd: b.amountVnd,
        leave: b.leave,
        recordedAt: b.recordedAt.toISOString(),
      })),
      exemptions: exemptions.map((e) => ({
        fromPeriod: e.fromPeriod,
        toPeriod: e.toPeriod,
        reason: e.reason,
      })),
      months: months.map((m) => ({
        period: m.period,
        ruleCode: m.ruleCode,
        assessedVnd: m.assessedVnd,
        dueVnd: m.dueVnd,
        paidVnd: m.allocatedVnd,
        openVnd: m.dueVnd - m.allocatedVnd,
      })),
    };
  }

  /** Exact search by card number or name (blind indexes), within the caller's cells. */
  async search(query: MemberSearchDto, user: AuthenticatedUser) {
    const params: unknown[] = [];
    const conditions = [cellScopeCondition(cellScopeOf(user), 'c', params)];
    if (query.cardNumber) {
      params.push(this.blindIndex.compute(query.cardNumber, CARD));
      conditions.push(`m.card_number_index = $${params.length}`);
    }
    if (query.name) {
      params.push(this.blindIndex.compute(query.name, NAME));
      conditions.push(`m.name_index = $${params.length}`);
    }
    if (query.cellId) {
      params.push(query.cellId);
      conditions.push(`m.cell_id = $${params.length}`);
    }
    params.push(query.limit ?? 100);
    const ids = (await this.dataSource.query(
      `SELECT m.id FROM party_members m JOIN party_cells c ON c.id = m.cell_id
        WHERE ${conditions.join(' AND ')} ORDER BY m.id LIMIT $${params.length}`,
      params,
    )) as { id: string }[];
    if (ids.length === 0) return { members: [] };
    const members = await this.dataSource
      .getRepository(PartyMember)
      .findBy({ id: In(ids.map((row) => row.id)) });
    const cells = new Map(
      (
        await this.dataSource
          .getRepository(PartyCell)
          .findBy({ id: In([...new Set(members.map((m) => m.cellId))]) })
      ).map((c) => [c.id, c]),
    );
    return { members: members.map((m) => this.view(m, cells.get(m.cellId)!)) };
  }

  private mayWrite(user: AuthenticatedUser) {
    return async (member: PartyMember) => {
      const cell = await this.dataSource.getRepository(PartyCell).findOneBy({ id: member.cellId });
      return cell !== null && scopeCoversCell(cellScopeOf(user, 'write'), cell);
    };
  }

  private history(
    member: PartyMember,
    change: string,
    details: Record<string, unknown>,
    actor: string,
    at: Date,
  ): SqlStatement {
    return insertStatement(this.dataSource.manager, PartyMemberHistoryEntry, [
      { id: uuidv7(), memberId: member.id, change, details, occurredAt: at, actor },
    ]) as SqlStatement;
  }

  /** Status with history: active, transferred (out of the city's organisation), removed. */
  async changeStatus(id: string, input: StatusDto, user: AuthenticatedUser) {
    const answer = await changeMember(
      this.context,
      id,
      this.mayWrite(user),
      async (member) => {
        if (member.status === input.status)
          throw new TypedProblemException(
            'urn:backbone:problem:party-member-status-unchanged',
            HttpStatus.CONFLICT,
            `The member is already ${input.status}`,
          );
        const cell = (await this.dataSource.getRepository(PartyCell).findOneBy({ id: member.cellId }))!;
        const from = member.status;
        member.status = input.status;
        const now = new Date();
        return {
          rows: [
            this.history(
              member,
              'status',
              { from, to: input.status, reason: input.reason },
              user.subject,
              now,
            ),
          ],
          events: [],
          audit: { action: 'party-fee.member.status', unitCode: cell.unitCode },
          answer: { memberId: member.id, status: member.status, from },
        } satisfies MemberChange<unknown>;
      },
      HttpStatus.OK,
    );
    if (!answer) throw notFound(`member ${id}`);
    return answer;
  }

  /**
   * A transfer to another cell: the member's cell changes, its history keeps the old one, and the
   * open months move with the member (one arrears-move row each, from the old cell to the new).
   */
  async transfer(id: string, input: TransferDto, user: AuthenticatedUser) {
    // The receiving cell may be another committee's: the sending side decides the transfer.
    const to = await this.dataSource.getRepository(PartyCell).findOneBy({ id: input.toCellId });
    if (!to) throw notFound(`cell ${input.toCellId}`);
    const answer = await changeMember(this.context, id, this.mayWrite(user), async (member) => {
      if (member.status !== 'active')
        throw new TypedProblemException(
          'urn:backbone:problem:party-member-not-active',
          HttpStatus.CONFLICT,
          'Only an active member can be transferred',
        );
      if (member.cellId === to.id)
        throw new TypedProblemException(
          'urn:backbone:problem:party-member-same-cell',
          HttpStatus.CONFLICT,
          'The member is already in that cell',
        );
      const from = (await this.dataSource.getRepository(PartyCell).findOneBy({ id: member.cellId }))!;
      const months = await memberMonths(this.dataSource, member.id);
      const now = new Date();
      const rows: SqlStatement[] = [];
      let openArrearsVnd = 0;
      for (const month of months) {
        const open = month.dueVnd - month.allocatedVnd;
        if (open <= 0) continue;
        openArrearsVnd += open;
        rows.push(
          insertStatement(this.dataSource.manager, PartyFeeArrearsMove, [
            {
              id: uuidv7(),
              memberId: member.id,
              assessmentId: month.assessmentId,
              period: month.period,
              fromCellId: from.id,
              fromUnitCode: from.unitCode,
              toCellId: to.id,
              toUnitCode: to.unitCode,
              amountVnd: open,
              movedAt: now,
            },
          ]) as SqlStatement,
        );
      }
      member.cellId = to.id;
      member.eventSequence += 1;
      rows.push(
        this.history(
          member,
          'transferred',
          { fromCellId: from.id, toCellId: to.id, openArrearsVnd, reason: input.reason },
          user.subject,
          now,
        ),
      );
      return {
        rows,
        events: [
          memberEvents.transferred(
            { memberId: member.id, unitCode: to.unitCode, sequence: member.eventSequence, at: now },
            {
              fromPartyCellId: from.code,
              toPartyCellId: to.code,
              fromUnitCode: from.unitCode,
              openArrearsVnd,
            },
          ),
        ],
        audit: { action: 'party-fee.member.transfer', unitCode: from.unitCode },
        answer: { memberId: member.id, fromCellId: from.id, toCellId: to.id, openArrearsVnd },
      } satisfies MemberChange<unknown>;
    });
    if (!answer) throw notFound(`member ${id}`);
    return answer;
  }

  /** A new or corrected basis from a month: months already assessed from then on are re-assessed. */
  async newBasis(id: string, input: NewBasisDto, user: AuthenticatedUser) {
    const now = new Date();
    const record = {
      id: uuidv7(),
      memberId: id,
      fromPeriod: input.fromPeriod,
      kind: input.kind,
      amountVnd: input.amountVnd,
      leave: input.leave ?? 'none',
      recordedAt: now,
      recordedBy: user.subject,
    };
    return this.reassess(
      id,
      user,
      input.fromPeriod,
      `basis: ${input.reason}`,
      'basis',
      (bases, exemptions) => ({
        bases: [...bases, record],
        exemptions,
        row: insertStatement(this.dataSource.manager, PartyMemberBasis, [record]) as SqlStatement,
        details: {
          fromPeriod: input.fromPeriod,
          kind: input.kind,
          amountVnd: input.amountVnd,
          leave: record.leave,
          reason: input.reason,
        },
      }),
    );
  }

  /** An exemption with a reason for a period: months already assessed in it are re-assessed to 0. */
  async exempt(id: string, input: ExemptionDto, user: AuthenticatedUser) {
    if (input.toPeriod < input.fromPeriod || addMonths(input.fromPeriod, MAX_MONTHS_BACK) < input.toPeriod)
      throw new ValidationProblemException([
        { field: 'toPeriod', reason: `must be within ${MAX_MONTHS_BACK} months after fromPeriod` },
      ]);
    const record = {
      id: uuidv7(),
      memberId: id,
      fromPeriod: input.fromPeriod,
      toPeriod: input.toPeriod,
      reason: input.reason,
      recordedAt: new Date(),
      recordedBy: user.subject,
    };
    return this.reassess(
      id,
      user,
      input.fromPeriod,
      `exemption: ${input.reason}`,
      'exemption',
      (bases, exemptions) => ({
        bases,
        exemptions: [...exemptions, record],
        row: insertStatement(this.dataSource.manager, PartyFeeExemption, [record]) as SqlStatement,
        details: { fromPeriod: input.fromPeriod, toPeriod: input.toPeriod, reason: input.reason },
      }),
    );
  }

  /**
   * The re-assessment write path: the member's records with the new one, every assessed month from
   * `fromPeriod` recomputed; a changed month gets an adjustment row and `party-fee.assessment-adjusted.v1`
   * (never an edit), a lowered month already paid releases the excess to credit.
   */
  private async reassess(
    id: string,
    user: AuthenticatedUser,
    fromPeriod: string,
    reason: string,
    change: string,
    withRecord: (
      bases: BasisRecord[],
      exemptions: ExemptionRecord[],
    ) => {
      bases: BasisRecord[];
      exemptions: ExemptionRecord[];
      row: SqlStatement;
      details: Record<string, unknown>;
    },
  ) {
    const now = new Date();
    if (fromPeriod < addMonths(hanoiPeriodOf(now), -MAX_MONTHS_BACK))
      throw new ValidationProblemException([
        { field: 'fromPeriod', reason: `may be at most ${MAX_MONTHS_BACK} months back` },
      ]);
    const answer = await changeMember(this.context, id, this.mayWrite(user), async (member) => {
      const cell = (await this.dataSource.getRepository(PartyCell).findOneBy({ id: member.cellId }))!;
      const [bases, exemptions, months] = await Promise.all([
        this.dataSource.getRepository(PartyMemberBasis).findBy({ memberId: id }),
        this.dataSource.getRepository(PartyFeeExemption).findBy({ memberId: id }),
        memberMonths(this.dataSource, id),
      ]);
      const next = withRecord(bases, exemptions);
      const changes = reassessMonths(
        member,
        months,
        fromPeriod,
        next.bases,
        next.exemptions,
        this.feeRules.rules,
      );
      const rows: SqlStatement[] = [next.row, this.history(member, change, next.details, user.subject, now)];
      const events = [];
      for (const c of changes) {
        const adjustment = Object.assign(new PartyFeeAdjustment(), {
          id: uuidv7(),
          assessmentId: c.month.assessmentId,
          memberId: member.id,
          period: c.month.period,
          cellId: cell.id,
          unitCode: cell.unitCode,
          ruleCode: c.ruleCode,
          deltaVnd: c.deltaVnd,
          amountVnd: c.newDueVnd,
          reason,
          adjustedAt: now,
          adjustedBy: user.subject,
        });
        rows.push(insertStatement(this.dataSource.manager, PartyFeeAdjustment, [adjustment]) as SqlStatement);
        if (c.releasedVnd > 0) {
          member.creditVnd += c.releasedVnd;
          rows.push(
            insertStatement(this.dataSource.manager, PartyFeeAllocation, [
              {
                id: uuidv7(),
                memberId: member.id,
                assessmentId: c.month.assessmentId,
                period: c.month.period,
                cellId: cell.id,
                unitCode: cell.unitCode,
                amountVnd: -c.releasedVnd,
                source: 'adjustment',
                paymentId: null,
                createdAt: now,
              },
            ]) as SqlStatement,
          );
        }
        member.eventSequence += 1;
        events.push(
          memberEvents.adjusted(
            { memberId: member.id, unitCode: cell.unitCode, sequence: member.eventSequence, at: now },
            {
              adjustmentId: adjustment.id,
              assessmentId: c.month.assessmentId,
              period: c.month.period,
              deltaVnd: c.deltaVnd,
              amountVnd: c.newDueVnd,
              ruleCode: c.ruleCode,
            },
          ),
        );
      }
      return {
        rows,
        events,
        audit: { action: `party-fee.member.${change}`, unitCode: cell.unitCode },
        answer: {
          memberId: member.id,
          adjustments: changes.map((c) => ({
            period: c.month.period,
            deltaVnd: c.deltaVnd,
            amountVnd: c.newDueVnd,
            releasedToCreditVnd: c.releasedVnd,
          })),
          creditVnd: member.creditVnd,
        },
      } satisfies MemberChange<unknown>;
    });
    if (!answer) throw notFound(`member ${id}`);
    return answer;
  }
}

/** A payment reference: a prefix and 16 characters of base32 (upper case, no 0/1/8/9 confusion). */
export function newReference(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(16);
  let out = prefix;
  for (const byte of bytes) out += alphabet[byte & 31];
  return out;
}

interface BuiltRegistration {
  cell: PartyCell;
  member: PartyMember;
  event: ReturnType<typeof memberEvents.registered>;
  basis: PartyMemberBasis | undefined;
  /** Its details are the literal below: typeorm's insert type does not take Record<string, unknown>. */
  history: Omit<PartyMemberHistoryEntry, 'details'> & { details: Record<string, string> };
}

/** An imported registration's time: not in the future, at most MAX_IMPORT_BACKDATE_DAYS back. */
function checkedImportTime(value: string, field: string): Date {
  const registeredAt = new Date(value);
  const now = Date.now();
  if (registeredAt.getTime() > now + 5 * 60_000)
    throw new ValidationProblemException([{ field, reason: 'must not be in the future' }]);
  if (registeredAt.getTime() < now - MAX_IMPORT_BACKDATE_DAYS * 86_400_000)
    throw new ValidationProblemException([
      { field, reason: `must be within the last ${MAX_IMPORT_BACKDATE_DAYS} days` },
    ]);
  return registeredAt;
}

/** A second member with a registered card number: 409; anything else as it is. */
function cardConflictOr(error: unknown): unknown {
  if (
    error instanceof QueryFailedError &&
    (error.driverError as { constraint?: string }).constraint?.includes('card_number_index')
  )
    return new ConflictException('A member with this party card number is registered');
  return error;
}
