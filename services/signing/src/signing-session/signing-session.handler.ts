import { createHash } from 'node:crypto';
import { ForbiddenException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { CloudEvent } from '@backbone/contracts';
import { addToOutbox, outboxInsertStatement } from '@backbone/messaging';
import {
  AuditTrail,
  type AuthenticatedUser,
  canAccessUnit,
  FieldCipher,
  readForChange,
  type RowForChange,
  runOutsideRequestContext,
  TypedProblemException,
  unitScopeWhere,
  ValidationProblemException,
  writeChange,
  writeChangeStatement,
} from '@backbone/platform';
import { DataSource, type EntityManager, In, Repository } from 'typeorm';
import { SigningConfig } from '../config';
import { SignerSecondFactor } from '../second-factor/signer-second-factor.entity';
import { checkTotp, type TotpCheck } from '../second-factor/totp';
import { SECOND_FACTOR_CONTEXT } from '../second-factor/second-factor.handler';
import { SignatureTask } from '../signature-task/signature-task.entity';
import { CertificateNotOwnedError, NoActiveCertificateError } from '../signer/signing-errors';
import { DocumentSigning } from '../signer/document-signing';
import type {
  ConfirmSigningSessionDto,
  ConfirmSigningSessionsDto,
  RejectSigningSessionDto,
  StartSigningSessionDto,
} from './signing-session.dto';
import { SigningSession } from './signing-session.entity';
import {
  completeSession,
  openForSigner,
  type Refusal,
  rejectSession,
  startSession,
} from './signing-session.rules';
import { sessionView, type SigningSessionView } from './signing-session.view';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function conflict(refusal: Refusal): TypedProblemException {
  return new TypedProblemException(
    `urn:backbone:problem:signing:session-${refusal.refused}`,
    HttpStatus.CONFLICT,
    refusal.detail,
  );
}

function secondFactorRefused(detail: string): TypedProblemException {
  return new TypedProblemException(
    'urn:backbone:problem:signing:second-factor-refused',
    HttpStatus.FORBIDDEN,
    detail,
  );
}

const sessionChanged = () =>
  new TypedProblemException(
    'urn:backbone:problem:signing:session-changed',
    HttpStatus.CONFLICT,
    'The signing session changed meanwhile (it may have timed out): reload it',
  );

/**
 * The remote-signing saga's requests (ADR 0012): a signer starts a session for a task of their
 * unit with the task's document, then confirms it with their second factor (the document is signed
 * with their own key and `signature.completed.v1` published) or rejects it with a reason
 * (`signature.rejected.v1`, the dossier goes back to processing). The timeout is the scanner's
 * (session-timeout.scanner.ts). Every change of a session is the aggregate write (readForChange,
 * then one statement guarded by the row version read); confirming and rejecting also close the
 * task, and confirming writes the signature record, so those run that statement inside one
 * transaction with them: all or nothing.
 */
@Injectable()
export class SigningSessionHandler {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(SignatureTask) private readonly tasks: Repository<SignatureTask>,
    @InjectRepository(SigningSession) private readonly sessions: Repository<SigningSession>,
    @InjectRepository(SignerSecondFactor) private readonly secondFactors: Repository<SignerSecondFactor>,
    private readonly documentSigning: DocumentSigning,
    private readonly cipher: FieldCipher,
    private readonly auditTrail: AuditTrail,
    private readonly config: SigningConfig,
  ) {}

  async start(
    taskId: string,
    input: StartSigningSessionDto,
    user: AuthenticatedUser,
  ): Promise<SigningSessionView> {
    const task = await this.tasks.findOne({
      where: { id: taskId, ...unitScopeWhere<SignatureTask>(user, 'unitCode', 'write') },
    });
    if (!task) throw new NotFoundException(`No signature task ${taskId}`);
    if (!UUID_V7.test(user.subject)) {
      throw new ForbiddenException(
        'Only staff with a personal (UUIDv7) user id sign: a signature names its signer',
      );
    }
    await this.activeSecondFactor(user.subject);
    const certificate = await this.documentSigning.findActiveCertificateFor(user.subject, task.unitCode);
    // A signer signs only with their own key: a certificate id that is not their valid one for the unit is refused.
    if (input.certificateId && input.certificateId !== certificate?.certificateId) {
      throw new CertificateNotOwnedError();
    }
    if (!certificate) throw new NoActiveCertificateError(task.unitCode);
    const document = this.taskDocument(input.contentBase64, task);
    const started = startSession({
      task,
      signerId: user.subject,
      certificateId: certificate.certificateId,
      document,
      visible: input.visible ?? false,
      now: new Date(),
      timeoutSeconds: this.config.SIGNING_SESSION_TIMEOUT_SECONDS,
    });
    if ('refused' in started) throw conflict(started);
    const pending = await this.sessions.findOne({ where: { taskId: task.id, status: 'pending' } });
    if (pending) {
      throw new TypedProblemException(
        'urn:backbone:problem:signing:session-pending',
        HttpStatus.CONFLICT,
        `A signing session for this task is pending until ${pending.expiresAt.toISOString()}`,
      );
    }
    await this.dataSource.transaction(async (manager) => {
      // The partial unique index (one pending session per task) decides a race: the loser gets 409.
      await manager.insert(SigningSession, started.session);
      await addToOutbox(manager, [started.event], { topic: this.config.SIGNING_EVENTS_TOPIC });
      await this.auditTrail.record(manager, {
        action: 'signing.session.start',
        targetType: 'signing-session',
        targetId: started.session.id,
        unitCode: task.unitCode,
      });
    });
    return sessionView(started.session);
  }

  async confirm(
    id: string,
    input: ConfirmSigningSessionDto,
    user: AuthenticatedUser,
  ): Promise<SigningSessionView> {
    const [view] = await this.confirmSessions([id], input.code, user);
    return view!;
  }

  /**
   * One code signs a batch of the signer's own pending sessions (as a signer works through their
   * queue with one authorisation), all or none: each document is signed with their key in the one
   * transaction that uses the code's step, each with its own `signature.completed.v1` and audit
   * record. A wrong code counts against every session of the batch.
   */
  async confirmMany(
    input: ConfirmSigningSessionsDto,
    user: AuthenticatedUser,
  ): Promise<{ items: SigningSessionView[] }> {
    await this.checkBatchBytes(input.sessionIds);
    return { items: await this.confirmSessions(input.sessionIds, input.code, user) };
  }

  private async confirmSessions(
    ids: string[],
    code: string,
    user: AuthenticatedUser,
  ): Promise<SigningSessionView[]> {
    const rows: RowForChange<SigningSession>[] = [];
    for (const id of ids) rows.push(await this.ownPendingSession(id, user));
    const now = new Date();
    const factor = await this.activeSecondFactor(user.subject);
    const locked = rows.find(
      (row) => row.entity.failedAttempts >= this.config.SIGNING_SESSION_MAX_FAILED_CODES,
    );
    if (locked) {
      const which = ids.length === 1 ? 'this session' : `session ${locked.entity.id}`;
      throw secondFactorRefused(`Too many wrong codes for ${which}: let it time out and start a new one`);
    }
    const secret = Buffer.from(this.cipher.decrypt(factor.secretCipher, SECOND_FACTOR_CONTEXT), 'base64');
    const check = checkTotp(secret, code, now, factor.lastUsedStep);
    if (!check.ok) {
      for (const row of rows) await this.countFailedCode(row);
      throw secondFactorRefused(
        check.why === 'replayed' ? 'This code was already used: wait for the next one' : 'Wrong code',
      );
    }
    const tasks = new Map(
      (await this.tasks.findBy({ id: In(rows.map((row) => row.entity.taskId)) })).map((task) => [
        task.id,
        task,
      ]),
    );
    const audits = rows.map((row) =>
      this.auditTrail.prepareRecord({
        action: 'signing.session.confirm',
        targetType: 'signing-session',
        targetId: row.entity.id,
        unitCode: row.entity.unitCode,
      }),
    );
    await this.dataSource.transaction(async (manager) => {
      await this.consumeStep(manager, user.subject, check);
      for (const [index, row] of rows.entries()) {
        const session = row.entity;
        const signed = await this.documentSigning.signPdf(
          {
            pdf: session.document!,
            signerUserId: session.signerId,
            unitCode: session.unitCode,
            certificateId: session.certificateId,
            visible: session.visible,
            reason: `Ký duyệt kết quả hồ sơ ${session.dossierCode}`,
            location: 'Hà Nội',
            reference: { kind: 'dossier-result', id: session.dossierId, code: session.dossierCode },
            signatureId: session.id,
          },
          { manager },
        );
        const event = completeSession(session, signed, now);
        await this.writeSession(manager, row, event, audits[index]!.statements);
        await this.closeTask(manager, tasks.get(session.taskId)!, 'signed', session.id, now);
      }
    });
    runOutsideRequestContext(() => {
      for (const audit of audits) audit.committed();
    });
    return rows.map((row) => sessionView(row.entity));
  }

  /** The batch's documents are read into memory together: refused before reading when too large. */
  private async checkBatchBytes(ids: string[]): Promise<void> {
    const [sum] = await this.dataSource.query<Array<{ bytes: string | null }>>(
      'SELECT sum(octet_length(document))::text AS bytes FROM signing_sessions WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const max = this.config.SIGNING_CONFIRMATION_MAX_BYTES;
    if (Number(sum?.bytes ?? 0) > max) {
      throw new ValidationProblemException([
        {
          field: 'sessionIds',
          reason: `the sessions' documents together exceed ${max} bytes: confirm them in smaller batches`,
        },
      ]);
    }
  }

  async reject(
    id: string,
    input: RejectSigningSessionDto,
    user: AuthenticatedUser,
  ): Promise<SigningSessionView> {
    const row = await this.ownPendingSession(id, user);
    const session = row.entity;
    const now = new Date();
    const task = await this.tasks.findOneByOrFail({ id: session.taskId });
    const audit = this.auditTrail.prepareRecord({
      action: 'signing.session.reject',
      targetType: 'signing-session',
      targetId: session.id,
      unitCode: session.unitCode,
    });
    await this.dataSource.transaction(async (manager) => {
      const event = rejectSession(session, input.reason.trim(), now);
      await this.writeSession(manager, row, event, audit.statements);
      await this.closeTask(manager, task, 'rejected', session.id, now);
    });
    runOutsideRequestContext(() => audit.committed());
    return sessionView(session);
  }

  async find(id: string, user: AuthenticatedUser): Promise<SigningSessionView> {
    return sessionView(await this.visibleSession(id, user));
  }

  /** The signed PDF of a completed session, for the signer's client to hand to the dossier service. */
  async signedDocument(id: string, user: AuthenticatedUser): Promise<Buffer> {
    const session = await this.visibleSession(id, user);
    const stored = await this.sessions.findOne({
      where: { id: session.id },
      select: { id: true, signedDocument: true },
    });
    if (!stored?.signedDocument) throw new NotFoundException('The session has no signed document');
    return stored.signedDocument;
  }

  private async visibleSession(id: string, user: AuthenticatedUser): Promise<SigningSession> {
    const session = await this.sessions.findOne({
      where: { id, ...unitScopeWhere<SigningSession>(user, 'unitCode', 'read') },
    });
    if (!session) throw new NotFoundException(`No signing session ${id}`);
    return session;
  }

  /** The session by id, read for a change, if it is the caller's own and still open. */
  private async ownPendingSession(
    id: string,
    user: AuthenticatedUser,
  ): Promise<RowForChange<SigningSession>> {
    const { row } = await readForChange(this.dataSource, SigningSession, id);
    if (!row || !canAccessUnit(user, row.entity.unitCode, 'write')) {
      throw new NotFoundException(`No signing session ${id}`);
    }
    if (row.entity.signerId !== user.subject) {
      throw new ForbiddenException('Only the signer who started a signing session confirms or rejects it');
    }
    const refusal = openForSigner(row.entity, new Date());
    if (refusal) throw conflict(refusal);
    return row;
  }

  private async activeSecondFactor(signerId: string): Promise<SignerSecondFactor> {
    const factor = await this.secondFactors.findOneBy({ signerId });
    if (factor?.status !== 'active') {
      throw new TypedProblemException(
        'urn:backbone:problem:signing:second-factor-required',
        HttpStatus.CONFLICT,
        'Enrol and activate a second factor first (POST /signers/me/second-factor)',
      );
    }
    return factor;
  }

  private taskDocument(contentBase64: string, task: SignatureTask): Buffer {
    const max = this.config.SIGNING_SESSION_MAX_DOCUMENT_BYTES;
    const padding = contentBase64.endsWith('==') ? 2 : contentBase64.endsWith('=') ? 1 : 0;
    if ((contentBase64.length / 4) * 3 - padding > max) {
      throw new ValidationProblemException([
        { field: 'contentBase64', reason: `must be at most ${max} bytes once decoded` },
      ]);
    }
    const document = Buffer.from(contentBase64, 'base64');
    if (createHash('sha256').update(document).digest('hex') !== task.documentSha256) {
      throw new ValidationProblemException([
        {
          field: 'contentBase64',
          reason: "is not this task's document (its SHA-256 is not the one the dossier was resolved with)",
        },
      ]);
    }
    return document;
  }

  /** A wrong code counts against the session (never against the code's secret): at the limit it is locked. */
  private async countFailedCode(row: RowForChange<SigningSession>): Promise<void> {
    row.entity.failedAttempts += 1;
    const audit = this.auditTrail.prepareRecord({
      action: 'signing.session.wrong-code',
      targetType: 'signing-session',
      targetId: row.entity.id,
      unitCode: row.entity.unitCode,
      outcome: 'denied',
    });
    if (await writeChange(this.dataSource, SigningSession, row, { alongside: audit.statements })) {
      runOutsideRequestContext(() => audit.committed());
    }
  }

  /** Marks the code's step used, unless it (or a later one) already is: a replay loses here. */
  private async consumeStep(
    manager: EntityManager,
    signerId: string,
    check: Extract<TotpCheck, { ok: true }>,
  ) {
    const used: unknown[] = await manager.query(
      `UPDATE signer_second_factors SET last_used_step = $2
        WHERE signer_id = $1 AND status = 'active' AND (last_used_step IS NULL OR last_used_step < $2)
        RETURNING 1`,
      [signerId, check.step],
    );
    if (used.length === 0) throw secondFactorRefused('This code was already used: wait for the next one');
  }

  /** The session's aggregate write (guarded by the version read) with its event and audit record. */
  private async writeSession(
    manager: EntityManager,
    row: RowForChange<SigningSession>,
    event: CloudEvent,
    auditStatements: { sql: string; params: unknown[] }[],
  ): Promise<void> {
    const statement = writeChangeStatement(this.dataSource, SigningSession, row, {
      alongside: [
        outboxInsertStatement([event], { topic: this.config.SIGNING_EVENTS_TOPIC }),
        ...auditStatements,
      ],
    });
    const rows: Array<{ changed: number }> = await manager.query(statement.sql, statement.params);
    if ((rows[0]?.changed ?? 0) === 0) throw sessionChanged();
  }

  private async closeTask(
    manager: EntityManager,
    task: SignatureTask,
    status: 'signed' | 'rejected',
    signatureId: string,
    at: Date,
  ): Promise<void> {
    const closed: unknown[] = await manager.query(
      `UPDATE signature_tasks SET status = $2, signature_id = $3, closed_at = $4
        WHERE id = $1 AND status = 'open' RETURNING 1`,
      [task.id, status, signatureId, at],
    );
    if (closed.length === 0) throw sessionChanged();
  }
}
