import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { uuidv7 } from '@backbone/contracts';
import {
  AuditTrail,
  type AuthenticatedUser,
  BlindIndex,
  FieldCipher,
  insertStatement,
  SERVICE_CLIENT_REGISTRY,
  type ServiceClientRegistry,
  TypedProblemException,
  ValidationProblemException,
} from '@backbone/platform';
import { DataSource, Repository } from 'typeorm';
import { DossierConfig } from '../config';
import { Dossier, DossierResultDocument } from '../database/dossier.entities';
import { hasSignedResult } from '../dossier';
import { applyPlannedTransition, buildPendingEvents } from '../dossier/apply-transition';
import { changeDossierInOneStatement, type DossierChange } from '../dossier/change-dossier';
import {
  dossierNotFound,
  dossierScopeWhere,
  lifecycleRolesOf,
  mayWriteDossier,
} from '../dossier/dossier-access';
import { dossierView, type DossierView, PII_CONTEXT } from '../dossier/dossier-view';
import { planForCaller, problemForRefusal } from '../transition-dossier/plan-for-caller';
import type { ResultDocumentDto, UploadResultDocumentDto } from './result-document.dto';
import { readResultPdf, type ResultPdf } from './result-pdf';

const PDF = 'application/pdf';

/**
 * The result documents of dossiers whose result must be signed (ADR 0012). The dossier service
 * holds the bytes; events carry only their hashes:
 * - the specialist uploads the result PDF, and the dossier is resolved with its SHA-256 in the same
 *   write (`dossier.resolved.v1` with `resultDocumentSha256`: the signing service's task);
 * - the signer's client hands the signed PDF back; it is kept only if its SHA-256 is the one
 *   `signature.completed.v1` reported (`producedDocumentSha256`), and `return-result` waits for it;
 * - staff of the unit read both, the citizen downloads the signed one (public look-up).
 * Every change goes through the aggregate's write path (changeDossierInOneStatement).
 */
@Injectable()
export class ResultDocumentHandler {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Dossier) private readonly dossiers: Repository<Dossier>,
    @InjectRepository(DossierResultDocument) private readonly documents: Repository<DossierResultDocument>,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly auditTrail: AuditTrail,
    private readonly config: DossierConfig,
    @Optional()
    @Inject(SERVICE_CLIENT_REGISTRY)
    private readonly serviceClients?: ServiceClientRegistry,
  ) {}

  /** Stores the result PDF and resolves the dossier with its hash: one write, or nothing. */
  async uploadAndResolve(
    id: string,
    input: UploadResultDocumentDto,
    expectedVersion: number | undefined,
    user: AuthenticatedUser,
  ): Promise<DossierView> {
    if (expectedVersion === undefined) {
      throw new TypedProblemException(
        'urn:backbone:problem:dossier-version-required',
        HttpStatus.PRECONDITION_REQUIRED,
        'Send the version you last saw as expectedVersion or If-Match',
      );
    }
    const pdf = this.readPdf(input);
    const now = new Date();
    const answer = await changeDossierInOneStatement(
      this.dataSource,
      id,
      (dossier) => mayWriteDossier(user, dossier, this.serviceClients),
      (dossier) => {
        if (dossier.version !== expectedVersion) {
          throw new TypedProblemException(
            'urn:backbone:problem:dossier-version-conflict',
            HttpStatus.CONFLICT,
            `The dossier is at version ${dossier.version}, not ${expectedVersion}: reload it and decide again`,
          );
        }
        if (!dossier.procedureSnapshot.requiresSignature) {
          throw new TypedProblemException(
            'urn:backbone:problem:dossier-result-not-signed',
            HttpStatus.CONFLICT,
            "This procedure's result is not signed: resolve the dossier with POST /dossiers/:id/resolve",
          );
        }
        const plan = planForCaller(dossier.status, 'resolve', lifecycleRolesOf(user), user.subject, {});
        if (!plan.ok) {
          const problem = problemForRefusal(plan.code);
          throw new TypedProblemException(problem.type, problem.status, plan.message);
        }
        const { history, events } = applyPlannedTransition(dossier, plan, {
          at: now,
          actorSubject: user.subject,
          details: { resultDocumentSha256: pdf.sha256 },
        });
        return {
          history,
          events: buildPendingEvents(dossier, events),
          audit: { action: 'dossier.resolve-with-result-document' },
          rows: [this.documentRow(dossier.id, 'result', pdf, user, now)],
        };
      },
      { answer: (dossier) => dossierView(dossier, this.cipher, now), status: HttpStatus.OK },
      { topic: this.config.DOSSIER_EVENTS_TOPIC, auditTrail: this.auditTrail },
    );
    if (!answer) throw dossierNotFound();
    return answer;
  }

  /**
   * Keeps the signed PDF the signing service produced, once `signature.completed.v1` has told its
   * hash: only those exact bytes are accepted. Sending it again changes nothing.
   */
  async storeSignedResult(
    id: string,
    input: ResultDocumentDto,
    user: AuthenticatedUser,
  ): Promise<DossierView> {
    const pdf = this.readPdf(input);
    const now = new Date();
    const answer = await changeDossierInOneStatement(
      this.dataSource,
      id,
      (dossier) => mayWriteDossier(user, dossier, this.serviceClients),
      (dossier): DossierChange | null => {
        if (dossier.status !== 'resolved' || !hasSignedResult(dossier)) {
          throw new TypedProblemException(
            'urn:backbone:problem:dossier-signature-not-recorded',
            HttpStatus.CONFLICT,
            "No signature of this dossier's result is recorded yet (signature.completed): try again shortly",
          );
        }
        if (dossier.signedResultSha256 !== pdf.sha256) {
          throw new ValidationProblemException([
            {
              field: 'contentBase64',
              reason: 'is not the signed result the signing service reported (SHA-256 differs)',
            },
          ]);
        }
        if (dossier.signedResultStoredAt) return null;
        dossier.signedResultStoredAt = now;
        dossier.updatedAt = now;
        return {
          events: [],
          audit: { action: 'dossier.store-signed-result' },
          rows: [this.documentRow(dossier.id, 'signed-result', pdf, user, now)],
        };
      },
      { answer: (dossier) => dossierView(dossier, this.cipher, now), status: HttpStatus.OK },
      { topic: this.config.DOSSIER_EVENTS_TOPIC, auditTrail: this.auditTrail },
    );
    if (answer) return answer;
    // Nothing written: no such dossier for this caller, or the signed result was already stored.
    const dossier = await this.dossiers.findOne({
      where: { id, ...dossierScopeWhere(user, 'write', this.serviceClients) },
    });
    if (!dossier) throw dossierNotFound();
    return dossierView(dossier, this.cipher, now);
  }

  /** The current result (`result`) or its signed PDF (`signed-result`) of a dossier the caller may read. */
  async read(id: string, kind: DossierResultDocument['kind'], user: AuthenticatedUser): Promise<Buffer> {
    const dossier = await this.dossiers.findOne({
      where: { id, ...dossierScopeWhere(user, 'read', this.serviceClients) },
    });
    if (!dossier) throw dossierNotFound();
    return this.documentOf(dossier, kind);
  }

  /** The signed result of a returned dossier, for the citizen who knows its code and their national ID. */
  async readForCitizen(code: string, nationalId: string): Promise<Buffer> {
    const dossier = await this.dossiers.findOne({
      where: { code, applicantNationalIdIndex: this.blindIndex.compute(nationalId, PII_CONTEXT.nationalId) },
    });
    if (!dossier || dossier.status !== 'result-returned' || !dossier.signedResultStoredAt) {
      throw new TypedProblemException(
        'urn:backbone:problem:dossier-signed-result-not-found',
        HttpStatus.NOT_FOUND,
        'No returned signed result with this code and national ID',
      );
    }
    return this.documentOf(dossier, 'signed-result');
  }

  private async documentOf(dossier: Dossier, kind: DossierResultDocument['kind']): Promise<Buffer> {
    const sha256 = kind === 'result' ? dossier.resultDocumentSha256 : dossier.signedResultSha256;
    const stored =
      sha256 && (kind === 'result' || dossier.signedResultStoredAt)
        ? await this.documents.findOne({
            where: { dossierId: dossier.id, kind, sha256 },
            select: { id: true, content: true },
            order: { storedAt: 'DESC' },
          })
        : null;
    if (!stored) {
      throw new TypedProblemException(
        'urn:backbone:problem:dossier-result-document-not-found',
        HttpStatus.NOT_FOUND,
        kind === 'result' ? 'The dossier has no result document' : 'The dossier has no signed result stored',
      );
    }
    return stored.content;
  }

  private readPdf(input: ResultDocumentDto): ResultPdf {
    const read = readResultPdf(input.contentBase64, this.config.RESULT_DOCUMENT_MAX_BYTES);
    if ('refused' in read)
      throw new ValidationProblemException([{ field: 'contentBase64', reason: read.refused }]);
    return read;
  }

  private documentRow(
    dossierId: string,
    kind: DossierResultDocument['kind'],
    pdf: ResultPdf,
    user: AuthenticatedUser,
    at: Date,
  ) {
    const row: DossierResultDocument = {
      id: uuidv7(),
      dossierId,
      kind,
      sha256: pdf.sha256,
      mediaType: PDF,
      sizeBytes: pdf.bytes.length,
      content: pdf.bytes,
      storedBy: user.subject,
      storedAt: at,
    };
    return insertStatement(this.dataSource.manager, DossierResultDocument, [row])!;
  }
}
