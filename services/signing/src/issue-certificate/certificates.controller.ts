import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  assertCanActForUnit,
  type AuthenticatedUser,
  canAccessUnit,
  CurrentUser,
  Roles,
  ServiceAction,
} from '@backbone/platform';
import { CertificateAuthority, certificateSummary } from '../certificates/certificate-authority';
import { RevokeCertificateDto } from '../revoke-certificate/revoke-certificate.dto';
import { RevokeCertificateHandler } from '../revoke-certificate/revoke-certificate.handler';
import { IssueCertificateDto } from './issue-certificate.dto';

@ApiTags('certificates')
@Controller('certificates')
export class CertificatesController {
  constructor(
    private readonly authority: CertificateAuthority,
    private readonly revocation: RevokeCertificateHandler,
  ) {}

  /**
   * Issues a signer certificate for a person and unit from the city's issuing CA; the key is generated
   * by the signature-creation device and never leaves it. Publishes certificate.issued.v1.
   */
  @Post()
  @HttpCode(201)
  @Roles('city-admin')
  @ServiceAction('signing.certificate.issue')
  async issue(@Body() input: IssueCertificateDto, @CurrentUser() user: AuthenticatedUser) {
    assertCanActForUnit(user, input.unitCode);
    return certificateSummary(await this.authority.issue({ ...input, requestedBy: user.subject }));
  }

  /** One certificate (PEM, state), for a unit the caller serves (404 otherwise). */
  @Get(':id')
  @Roles('officer', 'unit-head', 'city-admin', 'auditor')
  @ServiceAction('signing.certificate.read')
  async find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    const record = await this.authority.findById(id);
    if (!record || !canAccessUnit(user, record.unitCode)) throw new NotFoundException(`No certificate ${id}`);
    return certificateSummary(record);
  }

  /**
   * Revokes a certificate with an RFC 5280 reason: from then on no signature can be made with it, the
   * CRL lists it, and validation reports REVOKED. Publishes certificate.revoked.v1.
   */
  @Post(':id/revocation')
  @HttpCode(200)
  @Roles('city-admin', 'unit-head')
  @ServiceAction('signing.certificate.revoke')
  revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: RevokeCertificateDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.revocation.revoke(id, input, user);
  }
}
