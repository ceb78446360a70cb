/*
 * `npm run contracts:generate`: writes the JSON Schemas (libs/contracts/schemas/), the AsyncAPI
 * document (docs/asyncapi.yaml) and, when the catalogue is still compatible with it, the
 * compatibility baseline (libs/contracts/compat/baseline.json). The drift test fails until the
 * checked-in files equal what this produces.
 *
 *   SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register libs/contracts/scripts/generate.ts
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Parser, stringify } from '@asyncapi/parser';
import { format, resolveConfig } from 'prettier';
import { checkCompatibility, type CompatBaseline } from '../src/compat/compatibility';
import { PARSED_ASYNCAPI_PATH } from '../src/catalogue-documents';
import {
  ASYNCAPI_PATH,
  BASELINE_PATH,
  generateContracts,
  jsonFile,
  REPO_ROOT,
  SCHEMAS_DIR,
} from '../src/generate/contract-files';

async function main(): Promise<number> {
  const { files, snapshot } = generateContracts();

  const keep = new Set(files.map((file) => file.path));
  if (existsSync(SCHEMAS_DIR)) {
    for (const name of readdirSync(SCHEMAS_DIR)) {
      const path = join(SCHEMAS_DIR, name);
      // A schema without an event class is stale (renamed class or a mistake); the baseline still guards removals.
      if (name.endsWith('.json') && !keep.has(path)) {
        rmSync(path);
        console.log(`removed ${relative(REPO_ROOT, path)}`);
      }
    }
  }
  for (const file of files) write(file.path, file.content);

  // The AsyncAPI document as @asyncapi/parser parses it (stringified), so that the catalogue page
  // renders it without parsing and validating it again in the browser (tens of seconds there).
  const parsed = await new Parser().parse(readFileSync(ASYNCAPI_PATH, 'utf8'));
  if (!parsed.document) throw new Error('docs/asyncapi.yaml does not parse: see asyncapi.spec.ts');
  write(PARSED_ASYNCAPI_PATH, `${stringify(parsed.document)!}\n`);

  const baseline = existsSync(BASELINE_PATH)
    ? (JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as CompatBaseline)
    : {};
  const breaking = checkCompatibility(baseline, snapshot);
  if (breaking.length > 0) {
    console.error('\nIncompatible change to published event versions; the baseline was NOT updated:');
    for (const change of breaking) console.error(`  - [${change.kind}] ${change.detail}`);
    console.error(
      'Add a new version (<type>.v<N+1>) beside the old one instead; see libs/contracts/README.md.',
    );
    return 1;
  }
  // The baseline is reviewed by people and not in .prettierignore, so it is written as Prettier would.
  const prettierOptions = (await resolveConfig(BASELINE_PATH)) ?? {};
  write(
    BASELINE_PATH,
    await format(jsonFile(BASELINE_PATH, snapshot).content, { ...prettierOptions, filepath: BASELINE_PATH }),
  );
  return 0;
}

function write(path: string, content: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === content) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${relative(REPO_ROOT, path)}`);
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
