import { Injectable } from '@nestjs/common';
import { addToOutbox } from '@backbone/messaging';
import { buildEvent, SignatureCompletedV1, uuidv7 } from '@backbone/contracts';
import { assertCanActForUnit, AuditTrail, type AuthenticatedUser, eventTrace } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { SigningConfig } from '../config';
import { DocumentSigning, type SignedOther, type SignedPdf } from '../signer/document-signing';
import type { SignatureCreated, SignDocumentQuery } from './sign-document.dto';

type Format = 'PAdES' | 'CAdES' | 'JWS';

/**
 * Direct signing by the signer themselves (the signing-session saga with its second factor is the
 * path for dossier results): the signature record, its audit record and signature.completed.v1
 * commit in one transaction; a refusal (bad document, revoked or someone else's certificate) leaves
 * nothing behind.
 */
@Injectable()
export class SignDocumentHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly signing: DocumentSigning,
    private readonly audit: AuditTrail,
    private readonly config: SigningConfig,
  ) {}

  async sign(
    format: Format,
    document: Buffer,
    query: SignDocumentQuery,
    user: AuthenticatedUser,
  ): Promise<SignatureCreated> {
    assertCanActForUnit(user, query.unitCode);
    const signatureId = uuidv7();
    const reference = { kind: 'document' as const, id: signatureId };
    const request = {
      signerUserId: user.subject,
      unitCode: query.unitCode,
      signatureId,
      reference,
      ...(query.certificateId ? { certificateId: query.certificateId } : {}),
    };
    return this.dataSource.transaction(async (manager) => {
      let result: SignedPdf | SignedOther;
      if (format === 'PAdES')
        result = await this.signing.signPdf(
          {
            ...request,
            pdf: document,
            visible: query.visible ?? false,
            ...(query.reason ? { reason: query.reason } : {}),
            ...(query.location ? { location: query.location } : {}),
          },
          { manager },
        );
      else if (format === 'CAdES')
        result = await this.signing.signDetached({ ...request, document }, { manager });
      else result = await this.signing.signJson({ ...request, document }, { manager });
      const event = buildEvent(SignatureCompletedV1, {
        ...eventTrace(),
        subject: signatureId,
        unitcode: query.unitCode,
        sequence: 1,
        time: result.signedAt,
        data: {
          signatureId,
          reference,
          documentSha256: result.documentSha256,
          hashAlgorithm: result.hashAlgorithm,
          signatureAlgorithm: result.signatureAlgorithm,
          format: result.format,
          certificateSerial: result.certificateSerial,
          certificateIssuer: result.certificateIssuer,
          signerId: user.subject,
          revocationStatus: result.revocationStatus,
          signedAt: result.signedAt.toISOString(),
        },
      });
      await addToOutbox(manager, [event], { topic: this.config.SIGNING_EVENTS_TOPIC });
      await this.audit.record(manager, {
        action: `signing.signature.create-${format.toLowerCase()}`,
        targetType: 'signature',
        targetId: signatureId,
        unitCode: query.unitCode,
      });
      return {
        signatureId,
        format,
        documentSha256: result.documentSha256,
        signedDocumentSha256: result.signedDocumentSha256,
        certificateSerial: result.certificateSerial,
        certificateIssuer: result.certificateIssuer,
        signedAt: result.signedAt.toISOString(),
        timestampedAt: result.timestampedAt ? result.timestampedAt.toISOString() : null,
        signedDocumentUrl: `/signatures/${signatureId}/document`,
      };
    });
  }
}
