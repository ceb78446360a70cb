import { Module } from '@nestjs/common';
import { DocumentSigning } from './signer/document-signing';

/**
 * The city's trust services: PKI (CAs, signer certificates, revocation, CRL), the RFC 3161 timestamp
 * authority, PAdES/CAdES/JWS signatures, their records and their validation. Other slices inject
 * `DocumentSigning` (import this module).
 */
@Module({
  providers: [DocumentSigning],
  exports: [DocumentSigning],
})
export class TrustServicesModule {}
