import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public, ServiceAction, SkipThrottle } from '@backbone/platform';
import { type CityPki } from '../pki/city-pki';
import { CITY_PKI } from '../pki/city-pki.provider';
import { CrlPublisher } from './crl-publisher';

/** The city PKI's public face: the CRL (the distribution point in every certificate) and the CA certificates. */
@ApiTags('pki')
@Controller('pki')
export class PkiController {
  constructor(
    private readonly crl: CrlPublisher,
    @Inject(CITY_PKI) private readonly pki: CityPki,
  ) {}

  /** The issuing CA's current CRL, DER (RFC 5280 §4.2.1.13: fetched by relying parties, so public). */
  @Get('crl')
  @Public()
  @SkipThrottle()
  @ServiceAction('signing.pki.crl')
  @Header('content-type', 'application/pkix-crl')
  @Header('cache-control', 'public, max-age=60')
  @ApiOkResponse({ description: 'The CRL, DER', content: { 'application/pkix-crl': {} } })
  async currentCrl(): Promise<Buffer> {
    return (await this.crl.current()).der;
  }

  /** The root, issuing CA and TSA certificates (PEM): what a relying party installs as trust anchor. */
  @Get('ca-certificates')
  @Public()
  @ServiceAction('signing.pki.ca-certificates')
  @Header('content-type', 'application/x-pem-file')
  caCertificates(): string {
    return (
      [this.pki.root, this.pki.issuing, this.pki.tsa]
        .map((certificate) => certificate.toString('pem'))
        .join('\n') + '\n'
    );
  }
}
