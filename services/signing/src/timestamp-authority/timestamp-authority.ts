import { randomBytes, sign } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  Accuracy,
  MessageImprint,
  PKIFailureInfo,
  PKIFailureInfoFlags,
  PKIFreeText,
  PKIStatus,
  PKIStatusInfo,
  TimeStampReq,
  TimeStampResp,
  TimeStampToken,
  TSTInfo,
} from '@peculiar/asn1-tsp';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { SigningConfig } from '../config';
import { type CityPki } from '../pki/city-pki';
import { CITY_PKI } from '../pki/city-pki.provider';
import { createCmsSignature, ID_CT_TST_INFO, ID_SHA256, sha256 } from '../signature-formats/cms-signed-data';

/** Hash algorithms the TSA accepts in a request, by OID, with their digest length. */
const ACCEPTED_HASHES = new Map<string, number>([
  [ID_SHA256, 32],
  ['2.16.840.1.101.3.4.2.2', 48], // SHA-384
  ['2.16.840.1.101.3.4.2.3', 64], // SHA-512
]);

export interface IssuedTimestamp {
  /** The TimeStampToken (ContentInfo with SignedData over a TSTInfo), DER. */
  token: Buffer;
  genTime: Date;
  serialNumber: string;
}

/**
 * The city's RFC 3161 time-stamping authority: TSTInfo (policy, message imprint, a random 128-bit
 * serial, genTime with an accuracy of one second, the request's nonce) in a CMS SignedData signed by
 * the TSA key, with ESS signing-certificate-v2 naming the TSA certificate (RFC 5816), whose
 * extendedKeyUsage is timeStamping only and critical. genTime is this host's clock: keep it on NTP.
 */
@Injectable()
export class TimestampAuthority {
  constructor(
    @Inject(CITY_PKI) private readonly pki: CityPki,
    private readonly config: SigningConfig,
  ) {}

  /** A token over a SHA-256 digest (the service's own signatures use this). */
  timestampDigest(digest: Buffer, now = new Date()): Promise<IssuedTimestamp> {
    return this.issue(
      new MessageImprint({
        hashAlgorithm: new AlgorithmIdentifier({ algorithm: ID_SHA256 }),
        hashedMessage: new OctetString(digest),
      }),
      { certReq: true, now },
    );
  }

  /**
   * The answer to a DER TimeStampReq: a TimeStampResp, `granted` with the token, or `rejection` with
   * the failure (bad format, unsupported hash, wrong digest length, unknown policy) — RFC 3161 §2.4.2
   * answers a bad request with a response, not a transport error.
   */
  async respond(requestDer: Buffer): Promise<Buffer> {
    let request: TimeStampReq;
    try {
      request = AsnConvert.parse(requestDer, TimeStampReq);
    } catch {
      return rejection(PKIFailureInfoFlags.badDataFormat, 'The request is not a DER TimeStampReq');
    }
    const imprint = request.messageImprint;
    const length = ACCEPTED_HASHES.get(imprint.hashAlgorithm.algorithm);
    if (length === undefined) return rejection(PKIFailureInfoFlags.badAlg, 'Use SHA-256, SHA-384 or SHA-512');
    if (imprint.hashedMessage.byteLength !== length)
      return rejection(PKIFailureInfoFlags.badDataFormat, 'The digest length does not match its algorithm');
    if (request.reqPolicy && request.reqPolicy !== this.config.SIGNING_TSA_POLICY_OID)
      return rejection(
        PKIFailureInfoFlags.unacceptedPolicy,
        `This TSA issues under ${this.config.SIGNING_TSA_POLICY_OID}`,
      );
    if (request.extensions?.length)
      return rejection(PKIFailureInfoFlags.unacceptedExtension, 'No extensions are supported');
    const issued = await this.issue(imprint, { certReq: request.certReq, nonce: request.nonce });
    return Buffer.from(
      AsnConvert.serialize(
        new TimeStampResp({
          status: new PKIStatusInfo({ status: PKIStatus.granted }),
          timeStampToken: AsnConvert.parse(issued.token, TimeStampToken),
        }),
      ),
    );
  }

  private async issue(
    imprint: MessageImprint,
    options: { certReq: boolean; nonce?: ArrayBuffer; now?: Date },
  ): Promise<IssuedTimestamp> {
    const now = options.now ?? new Date();
    // Whole seconds: DER GeneralizedTime without a fraction (the accuracy is a second anyway).
    const genTime = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const serial = randomBytes(16);
    serial[0] &= 0x7f;
    const tstInfo = new TSTInfo({
      version: 1,
      policy: this.config.SIGNING_TSA_POLICY_OID,
      messageImprint: imprint,
      serialNumber: new Uint8Array(serial).buffer,
      genTime,
      accuracy: new Accuracy({ seconds: 1 }),
      ...(options.nonce ? { nonce: options.nonce } : {}),
    });
    const content = Buffer.from(AsnConvert.serialize(tstInfo));
    const tsaKey = this.pki.tsaKey;
    const signature = await createCmsSignature({
      signerCertificate: this.pki.tsa,
      // certReq false: no certificates in the token (RFC 3161 §2.4.1); the verifier has them.
      certificates: options.certReq ? [this.pki.tsa, this.pki.issuing] : [],
      sign: (data) => Promise.resolve(sign('sha256', data, tsaKey)),
      contentDigest: sha256(content),
      encapsulated: { contentType: ID_CT_TST_INFO, content },
      signingTime: genTime,
    });
    return { token: signature.der, genTime, serialNumber: serial.toString('hex') };
  }
}

function rejection(failure: PKIFailureInfoFlags, text: string): Buffer {
  const failInfo = new PKIFailureInfo();
  failInfo.fromNumber(failure);
  return Buffer.from(
    AsnConvert.serialize(
      new TimeStampResp({
        status: new PKIStatusInfo({
          status: PKIStatus.rejection,
          statusString: new PKIFreeText([text]),
          failInfo,
        }),
      }),
    ),
  );
}
