import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from '../infra/paths';

/**
 * The Nx module-boundary rule is what keeps services apart; it silently skips itself without a
 * project graph, so this test computes the graph and proves the rule fires on a forbidden import.
 * ESLint runs as a child process, as in CI (its flat config is loaded by dynamic import).
 */
describe('module boundaries', () => {
  beforeAll(() => {
    const graph = spawnSync(resolve(repoRoot, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
      cwd: repoRoot,
    });
    expect(graph.status).toBe(0);
  });

  function boundaryErrors(filePath: string, code: string): string[] {
    const result = spawnSync(
      resolve(repoRoot, 'node_modules', '.bin', 'eslint'),
      ['--format', 'json', '--stdin', '--stdin-filename', resolve(repoRoot, filePath)],
      { cwd: repoRoot, input: code, encoding: 'utf8' },
    );
    const [report] = JSON.parse(result.stdout) as {
      messages: { ruleId: string | null; message: string }[];
    }[];
    return report.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  }

  it('forbids a shared lib from importing a service', () => {
    const errors = boundaryErrors(
      'libs/testing/src/boundary-probe.ts',
      "import { planTransition } from '../../../services/dossier/src/dossier/dossier-lifecycle';\nexport const probe = planTransition;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids a service from importing another service', () => {
    const errors = boundaryErrors(
      'services/reporting/src/boundary-probe.ts',
      "import { planTransition } from '../../dossier/src/dossier/dossier-lifecycle';\nexport const probe = planTransition;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('allows a service to import a shared lib', () => {
    const errors = boundaryErrors(
      'services/dossier/src/boundary-probe.ts',
      "import { uuidv7 } from '@backbone/contracts';\nexport const probe = uuidv7;\n",
    );
    expect(errors).toEqual([]);
  });
});
