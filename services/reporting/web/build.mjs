// Builds the dashboard the reporting service serves at /dashboard (part of `nx run reporting:build`):
// type-checks web/ (DOM types), bundles web/app.ts with Chart.js into one minified file, copies the page.
//   node services/reporting/web/build.mjs [--out <dir>]   (default services/reporting/dist/dashboard-web)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : resolve(here, '..', 'dist', 'dashboard-web');

if (!process.argv.includes('--no-typecheck')) {
  const tsc = resolve(here, '..', '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  const check = spawnSync(process.execPath, [tsc, '-p', resolve(here, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  if (check.status !== 0) process.exit(check.status ?? 1);
}

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [resolve(here, 'app.ts')],
  outfile: resolve(out, 'app.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(resolve(here, 'index.html'), resolve(out, 'index.html'));
copyFileSync(resolve(here, 'app.css'), resolve(out, 'app.css'));
console.log(`dashboard built into ${out}`);
