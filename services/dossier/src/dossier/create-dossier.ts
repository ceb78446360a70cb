import { Injectable } from '@nestjs/common';
import { type CloudEvent, uuidv7 } from '@backbone/contracts';
import { outboxInsertStatement } from '@backbone/messaging';
import {
  AuditTrail,
  BlindIndex,
  executeStatement,
  FieldCipher,
  type FieldProblem,
  Pseudonymizer,
  type SqlStatement,
  ValidationProblemException,
} from '@backbone/platform';
import { DataSource } from 'typeorm';
import { DossierConfig } from '../config';
import {
  dossierCodeDate,
  dossierCodeFromSequenceSql,
  dossierCodePrefix,
  NEXT_DOSSIER_SEQUENCE_SQL,
} from '../dossier-code';
import {
  Dossier,
  DossierAttachment,
  type DossierChannel,
  DossierHistoryEntry,
} from '../database/dossier.entities';
import type { ProcedureDefinition } from '../reference-data';
import type { ApplicantDto, AttachmentDto } from '../request-fields/applicant.dto';
import type { NewHistoryEntry } from './apply-transition';
import { PII_CONTEXT } from './dossier-view';
import { insertStatements } from './insert-together';
import {
  type BatchRow,
  type DossierWrite,
  IntakeBatcher,
  MAX_DOSSIERS_PER_STATEMENT,
  sharedStatement,
} from './intake-batcher';

export interface NewDossier {
  unitCode: string;
  /** The catalogue entry in force when the dossier arrived (kept as the dossier's snapshot). */
  procedure: ProcedureDefinition;
  channel: DossierChannel;
  applicant: ApplicantDto;
  attachments?: AttachmentDto[] | undefined;
  /** Desk channels: whether the documents were scanned. An online dossier is digital. */
  digitised?: boolean | undefined;
  /** When it first arrived: its creation time and the day its code is numbered in. */
  arrivedAt: Date;
  /** The audit record's action: `dossier.receive`, `dossier.submit-online`, `dossier.import`. */
  auditAction: string;
}

/** What the dossier went through on creation: its first transition, or an imported history. */
export interface InitialTransitions {
  events: CloudEvent[];
  history: NewHistoryEntry[];
}

/**
 * Creates dossiers, for the intake (desk and online) and for the import of historical dossiers.
 * newDossier builds the row with the applicant's fields encrypted (and blind-indexed, pseudonymised
 * for events); create commits everything that must agree together: the daily code number, the
 * dossier, its history, its attachments, its events in the outbox and the audit record, as one
 * statement (one round trip). Group commit: docs/adr/0009-intake-group-commit.md.
 */
@Injectable()
export class DossierCreator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
  ) {
    this.batcher = new IntakeBatcher((statement) => executeStatement<BatchRow>(this.dataSource, statement));
  }

  private readonly batcher: IntakeBatcher;

  /**
   * Commits a dossier from newDossier. `transitions` returns the events and history rows of what
   * the dossier went through (its events carry the code placeholder, see below); it may throw to
   * refuse the dossier, and nothing is written.
   *
   * Everything is written by ONE statement that commits by itself (one round trip, prepared once
   * per pooled connection): the daily number (NEXT_DOSSIER_SEQUENCE_SQL, whose counter-row lock
   * serialises one agency's day until the statement commits, and which rolls back with it: no
   * gaps, no duplicates), the code made from it, the dossier with that code, its history and
   * attachments, its events in the outbox with the code put into their payloads, and the audit
   * record. It may share that statement with other intakes (IntakeBatcher, ADR 0009). This
   * returns once the dossier is committed.
   */
  async create(
    dossier: Dossier,
    extras: Pick<NewDossier, 'attachments' | 'auditAction'>,
    transitions: () => InitialTransitions,
  ): Promise<void> {
    const write = this.prepareWrite(dossier, extras, transitions);
    dossier.code = await this.batcher.write(write);
    write.audit.committed();
  }

  /**
   * Commits many dossiers from newDossier together, all or none (the back-dated import's batches):
   * each one's writes as in create, in statements of at most MAX_DOSSIERS_PER_STATEMENT dossiers
   * inside ONE transaction. A statement takes at most one dossier per code counter row (a counter
   * row is read once per statement); the first statements take every counter row of the batch in
   * counter-key order, later ones only rows already held, so two batches never wait on each other
   * in a cycle. Every `transitions` runs before anything is written; the field problems of all
   * that refuse are thrown together, each field prefixed with `problemPrefix(index)`.
   */
  async createMany(
    items: readonly {
      dossier: Dossier;
      extras: Pick<NewDossier, 'attachments' | 'auditAction'>;
      transitions: () => InitialTransitions;
    }[],
    problemPrefix: (index: number) => string,
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    const writes = items.flatMap((item, index) => {
      try {
        return [
          { dossier: item.dossier, write: this.prepareWrite(item.dossier, item.extras, item.transitions) },
        ];
      } catch (error) {
        if (!(error instanceof ValidationProblemException)) throw error;
        problems.push(
          ...error.fieldProblems.map((p) => ({ ...p, field: `${problemPrefix(index)}${p.field}` })),
        );
        return [];
      }
    });
    if (problems.length > 0) throw new ValidationProblemException(problems);
    const statements = statementsInLockOrder(writes, (w) => w.write.counterKey);
    await this.dataSource.transaction(async (manager) => {
      for (const group of statements) {
        const rows = (await manager.query(
          ...sqlOf(sharedStatement(group.map((w) => w.write))),
        )) as BatchRow[];
        const codes = new Map(rows.map((row) => [Number(row.n), row.code]));
        group.forEach(({ dossier }, n) => {
          const code = codes.get(n);
          if (code === undefined) throw new Error(`no code returned for dossier ${n} of the statement`);
          dossier.code = code;
        });
      }
    });
    for (const { write } of writes) write.audit.committed();
  }

  /** One dossier's statements (see create) and its audit record, not yet written. */
  private prepareWrite(
    dossier: Dossier,
    extras: Pick<NewDossier, 'attachments' | 'auditAction'>,
    transitions: () => InitialTransitions,
  ): DossierWrite & { audit: ReturnType<AuditTrail['prepareRecord']> } {
    const prefix = dossierCodePrefix(dossier.unitCode, dossier.createdAt);
    // Sequence 0000 is never allocated (the counter starts at 1), so this stands for the code
    // until the statement has it; it still matches the contracts' code pattern.
    const placeholderCode = `${prefix}0000`;
    dossier.code = placeholderCode;
    const { events, history } = transitions();
    const manager = this.dataSource.manager;
    const audit = this.auditTrail.prepareRecord({
      action: extras.auditAction,
      targetType: 'dossier',
      targetId: dossier.id,
      unitCode: dossier.unitCode,
    });
    const localDate = dossierCodeDate(dossier.createdAt);
    const historyRows = history.map((entry) => ({ id: uuidv7(), dossierId: dossier.id, ...entry }));
    const attachmentRows = (extras.attachments ?? []).map((a) => ({
      id: uuidv7(),
      dossierId: dossier.id,
      ...a,
    }));
    const statements = (n: number): SqlStatement[] => {
      const codeExpression = `(SELECT code FROM dossier_code_${n})`;
      return [
        {
          name: `dossier_sequence_${n}`,
          sql: NEXT_DOSSIER_SEQUENCE_SQL,
          params: [dossier.unitCode, localDate],
        },
        {
          name: `dossier_code_${n}`,
          sql: dossierCodeFromSequenceSql(`dossier_sequence_${n}`),
          params: [prefix],
        },
        ...insertStatements(manager, [
          { target: Dossier, rows: [dossier], expressions: { code: codeExpression } },
          { target: DossierHistoryEntry, rows: historyRows },
          { target: DossierAttachment, rows: attachmentRows },
        ]),
        ...(events.length > 0
          ? [
              outboxInsertStatement(events, {
                topic: this.config.DOSSIER_EVENTS_TOPIC,
                substitute: {
                  placeholder: `"dossierCode":"${placeholderCode}"`,
                  sqlExpression: `'"dossierCode":"' || ${codeExpression} || '"'`,
                },
              }),
            ]
          : []),
        ...audit.statements,
      ];
    };
    return { counterKey: `${dossier.unitCode}|${localDate}`, statements, audit };
  }

  /**
   * The dossier in its "(new)" state (version 0, no status, no code yet): its first transition sets
   * its status, calendar snapshot and dates.
   */
  newDossier(input: Omit<NewDossier, 'attachments' | 'auditAction'>): Dossier {
    const { applicant, procedure, channel } = input;
    return Object.assign(new Dossier(), {
      id: uuidv7(),
      code: '', // allocated inside the transaction
      unitCode: input.unitCode,
      procedureCode: procedure.code,
      procedureSnapshot: procedure,
      channel,
      onlineLevel: channel === 'online' ? procedure.onlineLevel : 'none',
      version: 0,
      eventSequence: 0,
      applicantNameCipher: this.cipher.encrypt(applicant.fullName, PII_CONTEXT.name),
      applicantNationalIdCipher: this.cipher.encrypt(applicant.nationalId, PII_CONTEXT.nationalId),
      applicantNationalIdIndex: this.blindIndex.compute(applicant.nationalId, PII_CONTEXT.nationalId),
      applicantPhoneCipher: applicant.phone ? this.cipher.encrypt(applicant.phone, PII_CONTEXT.phone) : null,
      applicantAddressCipher: applicant.address
        ? this.cipher.encrypt(applicant.address, PII_CONTEXT.address)
        : null,
      applicantPseudonym: this.pseudonymizer.pseudonymize(applicant.nationalId),
      digitised: channel === 'online' ? true : (input.digitised ?? false),
      submittedAt: null,
      receivedAt: null,
      receivedBy: null,
      dueAt: null,
      promisedDueAt: null,
      pausedAt: null,
      pausedWorkingMinutes: 0,
      requestedFeeVnd: null,
      paidAt: null,
      resolvedAt: null,
      resultDocumentSha256: null,
      signatureId: null,
      signatureCompletedAt: null,
      signedDocumentSha256: null,
      signedResultSha256: null,
      signedResultStoredAt: null,
      returnedAt: null,
      closedAt: null,
      overdueNotifiedAt: null,
      createdAt: input.arrivedAt,
      updatedAt: input.arrivedAt,
    });
  }
}

const sqlOf = (statement: SqlStatement): [string, unknown[]] => [statement.sql, statement.params];

/**
 * `items` as statements of at most MAX_DOSSIERS_PER_STATEMENT, none with two items of one counter
 * key: round r holds the r-th item of every key, keys in ascending order within and across the
 * statements of a round, so the first round locks every counter row in key order.
 */
export function statementsInLockOrder<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = byKey.get(key);
    if (list) list.push(item);
    else byKey.set(key, [item]);
  }
  const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const statements: T[][] = [];
  for (let round = 0; ; round += 1) {
    const inRound = keys.flatMap((key) => {
      const item = byKey.get(key)![round];
      return item === undefined ? [] : [item];
    });
    if (inRound.length === 0) return statements;
    for (let i = 0; i < inRound.length; i += MAX_DOSSIERS_PER_STATEMENT)
      statements.push(inRound.slice(i, i + MAX_DOSSIERS_PER_STATEMENT));
  }
}
