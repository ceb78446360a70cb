import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import {
  type AuthenticatedUser,
  CurrentUser,
  findOneInUnitScope,
  Roles,
  ServiceAction,
} from '@backbone/platform';
import type { FastifyReply } from 'fastify';
import { Repository } from 'typeorm';
import { SignatureRecord } from './signature-record.entity';

/** A completed signature's record (everything but the bytes) and its signed document. */
@ApiTags('signatures')
@Controller('signatures')
export class SignaturesController {
  constructor(@InjectRepository(SignatureRecord) private readonly signatures: Repository<SignatureRecord>) {}

  @Get(':id')
  @Roles('officer', 'unit-head', 'city-admin', 'auditor')
  @ServiceAction('signing.signature.read')
  async find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    const record = await this.findInScope(id, user);
    const { signedDocument, timestampToken, ...evidence } = record;
    return {
      ...evidence,
      signedDocumentBytes: signedDocument.length,
      timestampToken: timestampToken ? timestampToken.toString('base64') : null,
      signedDocumentUrl: `/signatures/${record.id}/document`,
    };
  }

  /** The signed PDF (PAdES), the detached .p7s (CAdES) or the compact JWS. */
  @Get(':id/document')
  @Roles('officer', 'unit-head', 'city-admin', 'auditor')
  @ServiceAction('signing.signature.read-document')
  async document(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const record = await this.findInScope(id, user);
    const extension = { PAdES: 'pdf', CAdES: 'p7s', JWS: 'jws' }[record.format];
    reply.header('content-type', record.signedDocumentMediaType);
    reply.header('content-disposition', `attachment; filename="signature-${record.id}.${extension}"`);
    reply.header('x-content-sha256', record.signedDocumentSha256);
    return record.signedDocument;
  }

  private async findInScope(id: string, user: AuthenticatedUser): Promise<SignatureRecord> {
    const record = await findOneInUnitScope(
      this.signatures,
      user,
      { id },
      { notFound: `No signature ${id}` },
    );
    if (!record) throw new NotFoundException(`No signature ${id}`);
    return record;
  }
}
