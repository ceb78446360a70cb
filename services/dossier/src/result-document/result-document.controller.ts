import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  type AuthenticatedUser,
  CurrentUser,
  IdempotencyInStatement,
  Public,
  Roles,
  ServiceAction,
  Throttle,
} from '@backbone/platform';
import { PublicLookupQuery } from '../public-lookup/public-lookup.controller';
import { versionFromIfMatch } from '../transition-dossier/transition-dossier.controller';
import { ResultDocumentDto, UploadResultDocumentDto } from './result-document.dto';
import { ResultDocumentHandler } from './result-document.handler';

function pdf(reply: FastifyReply, content: Buffer, name: string): Buffer {
  reply.header('content-type', 'application/pdf');
  reply.header('content-disposition', `attachment; filename="${name}.pdf"`);
  reply.header('cache-control', 'no-store');
  return content;
}

@ApiTags('result documents')
@Controller('dossiers')
export class ResultDocumentController {
  constructor(private readonly handler: ResultDocumentHandler) {}

  /**
   * The specialist uploads the result PDF of a dossier whose result must be signed; the dossier is
   * resolved with its SHA-256 (`dossier.resolved.v1`, which the signing service turns into a task).
   */
  @Post(':id/result-document')
  @HttpCode(200)
  @IdempotencyInStatement()
  @Roles('officer', 'unit-head')
  @ServiceAction('dossier.resolve')
  upload(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: UploadResultDocumentDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.uploadAndResolve(
      id,
      input,
      input.expectedVersion ?? versionFromIfMatch(ifMatch),
      user,
    );
  }

  /** The result PDF the dossier was resolved with (what the unit head signs). */
  @Get(':id/result-document')
  @Roles('officer', 'unit-head', 'signer', 'city-admin', 'auditor')
  @ServiceAction('dossier.read')
  async read(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return pdf(reply, await this.handler.read(id, 'result', user), `result-${id}`);
  }

  /**
   * The signed PDF from the signing service, handed over by the signer's (or an officer's) client;
   * kept only if its SHA-256 is the one `signature.completed.v1` reported. Then `return-result`.
   */
  @Post(':id/signed-result')
  @HttpCode(200)
  @Roles('officer', 'unit-head', 'signer')
  @ServiceAction('dossier.store-signed-result')
  storeSigned(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: ResultDocumentDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.storeSignedResult(id, input, user);
  }

  @Get(':id/signed-result')
  @Roles('officer', 'unit-head', 'signer', 'city-admin', 'auditor')
  @ServiceAction('dossier.read')
  async readSigned(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return pdf(reply, await this.handler.read(id, 'signed-result', user), `signed-result-${id}`);
  }
}

/** The citizen's download of the signed result, with the public look-up's two keys and its rate limit. */
@ApiTags('public')
@Controller('public/dossiers')
export class PublicSignedResultController {
  constructor(private readonly handler: ResultDocumentHandler) {}

  @Public()
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @Get('signed-result')
  async download(@Query() query: PublicLookupQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return pdf(reply, await this.handler.readForCitizen(query.code, query.nationalId), query.code);
  }
}
