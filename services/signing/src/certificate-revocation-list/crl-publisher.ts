import { Inject, Injectable } from '@nestjs/common';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import { DataSource } from 'typeorm';
import { SignerCertificate } from '../certificates/signer-certificate.entity';
import { type CityPki } from '../pki/city-pki';
import { CITY_PKI } from '../pki/city-pki.provider';
import { ECDSA_WITH_SHA256, x509 } from '../pki/crypto-provider';
import { PublishedCrl } from './published-crl.entity';

const DAY_MS = 86_400_000;
/** A CRL promises its successor within this time (nextUpdate). */
const CRL_VALIDITY_MS = 7 * DAY_MS;
/** Re-signed when less than this is left, even without a revocation. */
const CRL_RENEW_BEFORE_MS = 6 * DAY_MS;

/**
 * The issuing CA's CRL (RFC 5280 v2: CRL number, authority key identifier, reason per entry), kept in
 * one row: re-signed right after each revocation commits, and whenever it is read and found older
 * than the register (a revocation made through another instance) or close to its nextUpdate.
 */
@Injectable()
export class CrlPublisher {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CITY_PKI) private readonly pki: CityPki,
  ) {}

  /** The CRL to serve (DER), current with the register. */
  async current(now = new Date()): Promise<PublishedCrl> {
    const [register] = (await this.dataSource.query(
      `SELECT count(*)::int AS count, max(revoked_at) AS latest FROM signer_certificates WHERE status = 'revoked'`,
    )) as { count: number; latest: Date | null }[];
    const published = await this.dataSource.getRepository(PublishedCrl).findOneBy({ id: 1 });
    if (
      published &&
      published.revokedCount === register.count &&
      (published.latestRevokedAt?.getTime() ?? null) ===
        (register.latest ? new Date(register.latest).getTime() : null) &&
      published.nextUpdate.getTime() - now.getTime() > CRL_RENEW_BEFORE_MS
    )
      return published;
    return this.refresh(now);
  }

  /** Signs a new CRL from the register (one at a time: the row is locked while it is made). */
  refresh(now = new Date()): Promise<PublishedCrl> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO published_crl (id, crl_number, this_update, next_update, revoked_count, der)
         VALUES (1, 0, now(), now(), -1, '\\x'::bytea) ON CONFLICT (id) DO NOTHING`,
      );
      const [locked] = (await manager.query(
        `SELECT crl_number FROM published_crl WHERE id = 1 FOR UPDATE`,
      )) as {
        crl_number: string;
      }[];
      const revoked = await manager.find(SignerCertificate, {
        where: { status: 'revoked' },
        order: { revokedAt: 'ASC' },
        select: { serialNumber: true, revokedAt: true, revocationReason: true },
      });
      const crlNumber = Number(locked.crl_number) + 1;
      const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
      const crl = await x509.X509CrlGenerator.create({
        issuer: this.pki.issuing.subject,
        thisUpdate,
        nextUpdate: new Date(thisUpdate.getTime() + CRL_VALIDITY_MS),
        entries: revoked.map((certificate) => ({
          serialNumber: certificate.serialNumber,
          revocationDate: certificate.revokedAt ?? thisUpdate,
          reason: x509.X509CrlReason[certificate.revocationReason ?? 'unspecified'],
        })),
        signingAlgorithm: ECDSA_WITH_SHA256,
        signingKey: this.pki.issuingKey,
        extensions: [
          await x509.AuthorityKeyIdentifierExtension.create(this.pki.issuing, false),
          new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(crlNumber))),
        ],
      });
      const latest = revoked.at(-1)?.revokedAt ?? null;
      const row = Object.assign(new PublishedCrl(), {
        id: 1,
        crlNumber: String(crlNumber),
        thisUpdate,
        nextUpdate: new Date(thisUpdate.getTime() + CRL_VALIDITY_MS),
        revokedCount: revoked.length,
        latestRevokedAt: latest,
        der: Buffer.from(crl.rawData),
      });
      await manager.save(PublishedCrl, row);
      return row;
    });
  }
}
