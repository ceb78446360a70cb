import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { bytesOf } from '../document-bodies/document-body-parsers';
import { SigningConfig } from '../config';
import { DetachedSignatureDto, ValidationQuery } from './validate-signature.dto';
import { ValidateSignatureHandler } from './validate-signature.handler';

/**
 * Validates signatures into ETSI EN 319 102-1 shaped reports (TOTAL-PASSED, TOTAL-FAILED or
 * INDETERMINATE with the sub-indication, and each building block's result); `?store=true` keeps it.
 */
@ApiTags('validations')
@Controller('validations')
export class ValidateSignatureController {
  constructor(
    private readonly handler: ValidateSignatureHandler,
    private readonly config: SigningConfig,
  ) {}

  /** A signed PDF (PAdES), as application/pdf. */
  @Post()
  @HttpCode(200)
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('signing.validation.validate')
  @ApiConsumes('application/pdf')
  validatePdf(
    @Body() body: unknown,
    @Query() query: ValidationQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const pdf = bytesOf(body);
    if (pdf.length === 0) throw new BadRequestException('The body must be the signed PDF (application/pdf)');
    return this.handler.validatePdf(pdf, query, user);
  }

  /** A file and its detached CAdES signature. */
  @Post('detached')
  @HttpCode(200)
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('signing.validation.validate')
  @ApiConsumes('application/vnd.backbone.detached-signature+json')
  validateDetached(
    @Body() body: DetachedSignatureDto,
    @Query() query: ValidationQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const document = Buffer.from(body.document, 'base64');
    if (document.length > this.config.SIGNING_MAX_DOCUMENT_BYTES)
      throw new BadRequestException(
        `document is larger than ${this.config.SIGNING_MAX_DOCUMENT_BYTES} bytes`,
      );
    return this.handler.validateDetached(document, Buffer.from(body.signature, 'base64'), query, user);
  }

  /** A stored report. */
  @Get(':id')
  @Roles('officer', 'unit-head', 'city-admin', 'auditor')
  @ServiceAction('signing.validation.read')
  find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.find(id, user);
  }
}
