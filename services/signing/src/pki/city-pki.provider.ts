import { Logger, type Provider } from '@nestjs/common';
import { SigningConfig } from '../config';
import { type CityPki, createCityPki, loadCityPki, pkiExists } from './city-pki';
import { TrustStore } from './trust-store';

/** Injection token of the loaded CityPki. */
export const CITY_PKI = Symbol('CITY_PKI');

/** The CRL's public address, also the distribution point named in every certificate issued. */
export function crlUrlOf(config: SigningConfig): string {
  return `${config.SIGNING_PUBLIC_BASE_URL.replace(/\/+$/, '')}/pki/crl`;
}

/**
 * Loads the city's PKI from SIGNING_PKI_DIR. Outside production (or with SIGNING_PKI_CREATE_IF_MISSING)
 * a missing PKI is created (what
 * `npm run pki:init` does); production refuses to start without one, since a fresh root would
 * silently invalidate every relying party's trust.
 */
export const cityPkiProvider: Provider = {
  provide: CITY_PKI,
  inject: [SigningConfig],
  useFactory: async (config: SigningConfig): Promise<CityPki> => {
    const dir = config.SIGNING_PKI_DIR;
    if (!(await pkiExists(dir))) {
      if (config.NODE_ENV === 'production' && !config.SIGNING_PKI_CREATE_IF_MISSING)
        throw new Error(
          `SIGNING_PKI_DIR ${dir} holds no PKI: run npm run pki:init (or install the CA files)`,
        );
      new Logger('CityPki').warn(`No PKI in ${dir}: creating one there`);
      await createCityPki(dir, { crlUrl: crlUrlOf(config) }).catch(async (error: unknown) => {
        // Two instances starting together: the other one wrote it first.
        if (!(await pkiExists(dir))) throw error;
      });
    }
    return loadCityPki(dir);
  },
};

export const trustStoreProvider: Provider = {
  provide: TrustStore,
  inject: [CITY_PKI, SigningConfig],
  useFactory: (pki: CityPki, config: SigningConfig) =>
    TrustStore.load(pki.root, [pki.issuing], config.SIGNING_TRUSTED_ROOT_FILES ?? []),
};
