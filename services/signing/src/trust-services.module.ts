import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CertificateExpiryWatch } from './certificate-expiry/certificate-expiry-watch';
import { CrlPublisher } from './certificate-revocation-list/crl-publisher';
import { PkiController } from './certificate-revocation-list/pki.controller';
import { CertificateAuthority } from './certificates/certificate-authority';
import { TRUST_ENTITIES } from './database';
import { DocumentBodyParsers } from './document-bodies/document-body-parsers';
import { CertificatesController } from './issue-certificate/certificates.controller';
import { cityPkiProvider, trustStoreProvider } from './pki/city-pki.provider';
import { RevokeCertificateHandler } from './revoke-certificate/revoke-certificate.handler';
import { SignDocumentController } from './sign-document/sign-document.controller';
import { SignDocumentHandler } from './sign-document/sign-document.handler';
import { SignaturesController } from './signatures/signatures.controller';
import { DocumentSigning } from './signer/document-signing';
import { LocalKeyDevice } from './signer/local-key-device';
import { SIGNATURE_CREATION_DEVICE } from './signer/signature-creation-device';
import { TimestampAuthority } from './timestamp-authority/timestamp-authority';
import { TimestampAuthorityController } from './timestamp-authority/timestamp-authority.controller';
import { SignatureValidator } from './validate-signature/signature-validator';
import { ValidateSignatureController } from './validate-signature/validate-signature.controller';
import { ValidateSignatureHandler } from './validate-signature/validate-signature.handler';

/**
 * The city's trust services: PKI (CAs, signer certificates, revocation, CRL), the RFC 3161 timestamp
 * authority, PAdES/CAdES/JWS signatures, their records and their validation. Other slices inject
 * `DocumentSigning` (import this module). An HSM or remote-signing provider replaces LocalKeyDevice
 * as SIGNATURE_CREATION_DEVICE.
 */
@Module({
  imports: [TypeOrmModule.forFeature(TRUST_ENTITIES)],
  controllers: [
    PkiController,
    CertificatesController,
    TimestampAuthorityController,
    SignDocumentController,
    SignaturesController,
    ValidateSignatureController,
  ],
  providers: [
    cityPkiProvider,
    trustStoreProvider,
    { provide: SIGNATURE_CREATION_DEVICE, useClass: LocalKeyDevice },
    CertificateAuthority,
    CrlPublisher,
    RevokeCertificateHandler,
    CertificateExpiryWatch,
    TimestampAuthority,
    DocumentSigning,
    SignDocumentHandler,
    SignatureValidator,
    ValidateSignatureHandler,
    DocumentBodyParsers,
  ],
  exports: [DocumentSigning, CertificateAuthority, SignatureValidator, TimestampAuthority],
})
export class TrustServicesModule {}
