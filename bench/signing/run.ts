// `npm run bench:signing`: the signing service's cryptographic throughput, in one run, in process
// (the whole service module on a fresh database and topics, as its integration tests start it):
//   1. raw_sign_ops_per_s: the private-key operation alone (ECDSA P-256 over SHA-256 of a 200-byte
//      signed-attributes block, node:crypto with a ready KeyObject): the floor everything else sits on;
//   2. pades_signatures_per_s and p99_ms: DocumentSigning.signPdf (PAdES B-T of a one-page PDF: the
//      key decrypted from its FieldCipher form, the CMS, the city TSA's timestamp token, the PDF
//      rewritten by pdf-lib, the signature record with the signed PDF written to PostgreSQL),
//      BENCH_CONCURRENCY (default 4) at a time for BENCH_SECONDS (default 10);
//   3. validations_per_s: SignatureValidator.validatePdf of a signed PDF (parse, digest, signature,
//      ESS, timestamp token, chain, revocation lookup), as many as it can for BENCH_SECONDS.
// Writes bench/results/signing-latest.json. A measurement, not a test.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { uuidv7 } from '@backbone/contracts';
import { uniqueName } from '@backbone/testing';
import { startServiceTestApp } from '@backbone/testing/service-app';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { type BenchInfrastructure, runBenchmark } from '../infrastructure';
import { AppModule } from '../../services/signing/src/app.module';
import { SigningConfig } from '../../services/signing/src/config';
import { DocumentSigning } from '../../services/signing/src/signer/document-signing';
import { SignatureValidator } from '../../services/signing/src/validate-signature/signature-validator';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const UNIT = '00070';

async function onePagePdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let line = 0; line < 40; line += 1)
    page.drawText(`Ket qua giai quyet ho so 000.00.70.H26-260701-${String(line).padStart(4, '0')}`, {
      x: 56,
      y: 780 - line * 18,
      size: 10,
      font,
    });
  return Buffer.from(await document.save({ useObjectStreams: false }));
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function forSeconds(
  seconds: number,
  workers: number,
  work: () => Promise<void>,
): Promise<{ done: number; ms: number[]; elapsedS: number }> {
  const ms: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const begin = performance.now();
        await work();
        ms.push(performance.now() - begin);
        done += 1;
      }
    }),
  );
  return { done, ms: ms.sort((a, b) => a - b), elapsedS: (performance.now() - started) / 1000 };
}

async function measure(infrastructure: BenchInfrastructure): Promise<void> {
  // 1. The raw private-key operation.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const attributes = randomBytes(200);
  let rawOps = 0;
  const rawStarted = performance.now();
  while (performance.now() - rawStarted < Math.min(SECONDS, 5) * 1000) {
    sign('sha256', attributes, privateKey);
    rawOps += 1;
  }
  const rawSignOpsPerS = rawOps / ((performance.now() - rawStarted) / 1000);

  const pkiDir = mkdtempSync(join(tmpdir(), 'bench-signing-pki-'));
  const topic = uniqueName('bench_signing_events');
  const t = await startServiceTestApp({
    serviceName: 'signing',
    configSchema: SigningConfig,
    module: (config) => AppModule.forRoot(config),
    topics: [{ topic, numPartitions: 3 }],
    env: { SIGNING_EVENTS_TOPIC: topic, SIGNING_PKI_DIR: pkiDir, LOG_LEVEL: 'warn' },
  });
  try {
    const signing = t.app.get(DocumentSigning);
    const validator = t.app.get(SignatureValidator);
    const signer = uuidv7();
    await signing.issueCertificate({ holderId: signer, unitCode: UNIT, commonName: 'Bench Signer' });
    const pdf = await onePagePdf();
    // Warm-up: module loading, JIT, the pool's connections.
    for (let i = 0; i < 5; i += 1) await signing.signPdf({ pdf, signerUserId: signer, unitCode: UNIT });

    // 2. PAdES B-T signatures.
    const signed = await forSeconds(SECONDS, CONCURRENCY, async () => {
      await signing.signPdf({ pdf, signerUserId: signer, unitCode: UNIT });
    });
    const sample = (await signing.signPdf({ pdf, signerUserId: signer, unitCode: UNIT })).signedPdf;

    // 3. Validations.
    const check = await validator.validatePdf(sample);
    if (check.indication !== 'TOTAL-PASSED')
      throw new Error(`the sample does not validate: ${JSON.stringify(check)}`);
    const validated = await forSeconds(SECONDS, 1, async () => {
      await validator.validatePdf(sample);
    });

    const result = {
      pades_signatures_per_s: Math.round((signed.done / signed.elapsedS) * 10) / 10,
      validations_per_s: Math.round((validated.done / validated.elapsedS) * 10) / 10,
      p99_ms: Math.round(quantile(signed.ms, 0.99) * 10) / 10,
      raw_sign_ops_per_s: Math.round(rawSignOpsPerS),
      measured_at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model.split(' ').slice(0, 2).join(' '),
        node: process.version,
        loadavg_1m_at_end: loadavg()[0],
      },
      seconds_per_phase: SECONDS,
      concurrency: CONCURRENCY,
      pades_p50_ms: Math.round(quantile(signed.ms, 0.5) * 10) / 10,
      validation_p99_ms: Math.round(quantile(validated.ms, 0.99) * 10) / 10,
      document_bytes: pdf.length,
      signed_document_bytes: sample.length,
      infrastructure: infrastructure.notes,
      notes: [
        'p99_ms: latency of DocumentSigning.signPdf (PAdES B-T, including the TSA token and the PostgreSQL write)',
        'raw_sign_ops_per_s: ECDSA P-256/SHA-256 over 200 bytes with a ready KeyObject, same process, same run',
      ],
    };
    const out = resolve(__dirname, '../results/signing-latest.json');
    mkdirSync(resolve(__dirname, '../results'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `pades_signatures_per_s ${result.pades_signatures_per_s}  p99_ms ${result.p99_ms}  validations_per_s ${result.validations_per_s}  raw_sign_ops_per_s ${result.raw_sign_ops_per_s}\n` +
        `written to ${out}\n`,
    );
  } finally {
    await t.close();
    rmSync(pkiDir, { recursive: true, force: true });
  }
}

runBenchmark('bench:signing', measure);
