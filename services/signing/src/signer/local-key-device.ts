import { createPrivateKey, generateKeyPair, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@backbone/platform';
import type { GeneratedKey, SignatureCreationDevice } from './signature-creation-device';

const generateKeyPairAsync = promisify(generateKeyPair);

/** The column context bound into each encrypted key (a key copied to another row fails to decrypt). */
export const KEY_HANDLE_CONTEXT = 'signer_certificates.key_handle';

/**
 * Signer keys generated and used in this process, stored only encrypted (AES-256-GCM with the
 * platform's PII key ring, `FieldCipher`): a database dump alone yields no usable key. The key is
 * decrypted for each signature and not kept.
 */
@Injectable()
export class LocalKeyDevice implements SignatureCreationDevice {
  readonly kind = 'local';

  constructor(private readonly cipher: FieldCipher) {}

  async generateKeyPair(): Promise<GeneratedKey> {
    const { privateKey, publicKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    return {
      publicKeySpki: publicKey.export({ format: 'der', type: 'spki' }),
      keyHandle: this.cipher.encrypt(pkcs8.toString('base64'), KEY_HANDLE_CONTEXT),
    };
  }

  sign(keyHandle: string, data: Buffer): Promise<Buffer> {
    const pkcs8 = Buffer.from(this.cipher.decrypt(keyHandle, KEY_HANDLE_CONTEXT), 'base64');
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    return Promise.resolve(sign('sha256', data, key));
  }
}
