import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { bytesOf } from '../document-bodies/document-body-parsers';
import { SignDocumentQuery } from './sign-document.dto';
import { SignDocumentHandler } from './sign-document.handler';

/**
 * The caller signs a document with their own certificate for the unit: PAdES B-T for a PDF, CAdES
 * B-T detached for any file, JWS for JSON. Each answers the signature's evidence; the signed document
 * is at GET /signatures/:id/document.
 */
@ApiTags('signatures')
@Controller('signatures')
export class SignDocumentController {
  constructor(private readonly handler: SignDocumentHandler) {}

  @Post('pades')
  @HttpCode(201)
  @Roles('signer', 'unit-head')
  @ServiceAction('signing.signature.create-pades')
  @ApiConsumes('application/pdf')
  pades(@Body() body: unknown, @Query() query: SignDocumentQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.sign('PAdES', bytesOf(body), query, user);
  }

  @Post('cades')
  @HttpCode(201)
  @Roles('signer', 'unit-head')
  @ServiceAction('signing.signature.create-cades')
  @ApiConsumes('application/octet-stream', 'application/pdf')
  cades(@Body() body: unknown, @Query() query: SignDocumentQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.sign('CAdES', bytesOf(body), query, user);
  }

  /** The JSON body is signed as received after parsing (JSON.stringify of it: no insignificant whitespace). */
  @Post('jws')
  @HttpCode(201)
  @Roles('signer', 'unit-head')
  @ServiceAction('signing.signature.create-jws')
  @ApiConsumes('application/json')
  jws(@Body() body: unknown, @Query() query: SignDocumentQuery, @CurrentUser() user: AuthenticatedUser) {
    const json = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
    return this.handler.sign('JWS', json, query, user);
  }
}
