// `npm run pki:init [-- --dir <folder>] [--public-base-url <url>]` (or `node dist/pki/init-pki.cli.js`):
// creates the city's root CA, issuing CA and TSA certificate with fresh keys in the folder
// (SIGNING_PKI_DIR, default .data/signing-pki). Refuses to overwrite an existing PKI.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { createCityPki, loadCityPki, PKI_FILES } from './city-pki';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: process.env.SIGNING_PKI_DIR ?? '.data/signing-pki' },
      'public-base-url': {
        type: 'string',
        default: process.env.SIGNING_PUBLIC_BASE_URL ?? 'http://127.0.0.1:3102',
      },
    },
  });
  const dir = values.dir as string;
  const crlUrl = `${(values['public-base-url'] as string).replace(/\/+$/, '')}/pki/crl`;
  await createCityPki(dir, { crlUrl });
  const pki = await loadCityPki(dir);
  process.stdout.write(
    [
      `City PKI created in ${dir}:`,
      `  root CA      ${pki.root.subject} (serial ${pki.root.serialNumber}, until ${pki.root.notAfter.toISOString()})`,
      `  issuing CA   ${pki.issuing.subject} (until ${pki.issuing.notAfter.toISOString()})`,
      `  TSA          ${pki.tsa.subject} (extendedKeyUsage timeStamping, critical)`,
      `Relying parties trust ${join(dir, PKI_FILES.rootCertificate)}.`,
      `Move ${join(dir, PKI_FILES.rootKey)} offline: the service never reads it.`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`pki:init: ${(error as Error).message}\n`);
  process.exit(1);
});
