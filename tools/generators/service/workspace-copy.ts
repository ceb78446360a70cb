import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

/** Never copied: installed packages, build output, caches, runtime data, git's own folder. */
const SKIPPED = new Set(['node_modules', 'dist', '.data', '.cache', '.nx', '.git', 'coverage', 'tmp']);

/**
 * A copy of the workspace at `target` to run the generator in, without touching the original:
 * every source file, and a node_modules whose packages are links to the original's (cheap) except
 * the workspace's own `@backbone/*` links, which point into the copy, including `extraServices`.
 */
export function copyWorkspace(source: string, target: string, extraServices: string[] = []): void {
  cpSync(source, target, {
    recursive: true,
    filter: (path) => !SKIPPED.has(basename(path)),
  });
  const modules = join(target, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(source, 'node_modules'))) {
    if (entry === '@backbone') continue;
    symlinkSync(join(source, 'node_modules', entry), join(modules, entry));
  }
  const own = join(modules, '@backbone');
  mkdirSync(own);
  const link = (name: string, dir: string) =>
    symlinkSync(relative(own, resolve(target, dir)), join(own, name));
  for (const lib of readdirSync(join(target, 'libs'))) link(lib, `libs/${lib}`);
  for (const service of [...readdirSync(join(target, 'services')), ...extraServices])
    link(`${service}-service`, `services/${service}`);
}
