import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../infra/paths';

/**
 * The Nx module-boundary rule is what keeps services apart; it silently skips itself without a
 * project graph, so this test computes the graph and proves the rule fires on a forbidden import.
 */
describe('module boundaries', () => {
  let eslint: ESLint;

  beforeAll(() => {
    execFileSync(resolve(repoRoot, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    eslint = new ESLint({ cwd: repoRoot });
  });

  async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: resolve(repoRoot, filePath) });
    return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  }

  it('forbids a shared lib from importing a service', async () => {
    const errors = await boundaryErrors(
      'libs/testing/src/boundary-probe.ts',
      "import { planTransition } from '../../../services/dossier/src/dossier/dossier-status';\nexport const probe = planTransition;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('allows a service to import a shared lib', async () => {
    const errors = await boundaryErrors(
      'services/dossier/src/boundary-probe.ts',
      "import { uuidv7 } from '@backbone/contracts';\nexport const probe = uuidv7;\n",
    );
    expect(errors).toEqual([]);
  });
});
