import { readFile } from 'node:fs/promises';
import { x509 } from './crypto-provider';

/**
 * The roots a signature's chain must end at to be trusted (ETSI EN 319 102-1: the validation
 * policy's trust anchors) and the intermediate certificates known here. The city root is trusted by
 * default; an operator adds others (the national root) as PEM files in SIGNING_TRUSTED_ROOT_FILES.
 */
export class TrustStore {
  constructor(
    readonly roots: readonly x509.X509Certificate[],
    readonly intermediates: readonly x509.X509Certificate[],
  ) {}

  static async load(
    cityRoot: x509.X509Certificate,
    cityIntermediates: x509.X509Certificate[],
    extraRootFiles: readonly string[],
  ): Promise<TrustStore> {
    const roots = [cityRoot];
    for (const file of extraRootFiles) {
      const pem = await readFile(file, 'utf8');
      for (const der of x509.PemConverter.decode(pem)) roots.push(new x509.X509Certificate(der));
    }
    return new TrustStore(roots, cityIntermediates);
  }
}
