import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';
import { repoRoot } from '../infra/paths';

/**
 * No Docker engine runs here, so the images are checked by what their Dockerfiles say: parsed with
 * dockerfile-ast and linted with dockerfile-utils (the Dockerfile language service's validator), and
 * with hadolint too where its binary is on the PATH.
 */
const dockerDir = resolve(repoRoot, 'infra', 'docker');
const servicesDir = resolve(repoRoot, 'services');
const dockerfiles = [
  ...readdirSync(dockerDir)
    .filter((file) => file.endsWith('Dockerfile'))
    .map((file) => resolve(dockerDir, file)),
  ...readdirSync(servicesDir)
    .map((name) => resolve(servicesDir, name, 'Dockerfile'))
    .filter((file) => existsSync(file)),
].sort();
const serviceDockerfile = resolve(dockerDir, 'service.Dockerfile');
const name = (file: string) => relative(repoRoot, file);

interface Stage {
  from: { image: string | null; tag: string | null; digest: string | null; stage: string | null };
  instructions: Instruction[];
}

function stagesOf(file: string): Stage[] {
  const dockerfile = DockerfileParser.parse(readFileSync(file, 'utf8'));
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const from = dockerfile.getFROMs().find((candidate) => candidate === instruction);
    if (from)
      stages.push({
        from: {
          image: from.getImageName(),
          tag: from.getImageTag(),
          digest: from.getImageDigest(),
          stage: from.getBuildStage(),
        },
        instructions: [],
      });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const args = (instruction: Instruction) => instruction.getArgumentsContent() ?? '';
const ofKind = (stage: Stage, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
const flagsOf = (instruction: Instruction) =>
  (instruction as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] })
    .getFlags?.()
    .map((flag) => `${flag.getName()}=${flag.getValue() ?? ''}`) ?? [];

describe.each(dockerfiles.map((file) => [name(file), file]))('%s', (_name, file) => {
  const stages = stagesOf(file);

  it('lints clean (dockerfile-utils; hadolint too when installed)', () => {
    const diagnostics = validate(readFileSync(file, 'utf8')).map(
      (diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`,
    );
    expect(diagnostics).toEqual([]);
    const hadolint = spawnSync('hadolint', ['--failure-threshold', 'warning', file], { encoding: 'utf8' });
    if (hadolint.error) return; // not installed here
    expect({ status: hadolint.status, output: hadolint.stdout }).toEqual({ status: 0, output: '' });
  });

  it('starts every stage from a base pinned by an exact version and its digest', () => {
    expect(stages.length).toBeGreaterThan(0);
    for (const { from } of stages) {
      expect(from.image).toBe('node');
      expect(from.tag).toMatch(/^\d+\.\d+\.\d+-[a-z]+(-slim)?$/);
      expect(from.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    // One base for every stage and every image: moved in one step (docs/operations.md).
    const bases = new Set(stagesOf(serviceDockerfile).map(({ from }) => `${from.tag}@${from.digest}`));
    expect(new Set(stages.map(({ from }) => `${from.tag}@${from.digest}`))).toEqual(bases);
  });

  it('runs its final stage as a non-root user', () => {
    const users = ofKind(stages.at(-1)!, 'USER').map(args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(users.at(-1)).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/); // numeric: runAsNonRoot can verify it
  });
});

describe('infra/docker/service.Dockerfile (every service image)', () => {
  const stages = stagesOf(serviceDockerfile);
  const [build, runtime] = [stages[0]!, stages.at(-1)!];

  it('builds in one stage and runs from another', () => {
    expect(stages.map(({ from }) => from.stage)).toEqual(['build', 'runtime']);
    expect(ofKind(build, 'RUN').map(args).join('\n')).toMatch(/npx nx run-many -t build/);
  });

  it('installs only production dependencies in the runtime stage, without install scripts', () => {
    const installs = ofKind(runtime, 'RUN')
      .map(args)
      .filter((script) => /\bnpm (ci|install|i)\b/.test(script));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/\bnpm ci\b[^&]*--omit=dev/);
    expect(installs[0]).toMatch(/--ignore-scripts/);
  });

  it('takes no sources into the runtime stage: the build stage hands over compiled code only', () => {
    const copies = ofKind(runtime, 'COPY');
    const fromContext = copies.filter((copy) => !flagsOf(copy).some((flag) => flag.startsWith('from=')));
    // From the build context: the manifests npm ci reads, nothing else.
    expect(fromContext.map(args)).toEqual(['package.json package-lock.json .npmrc ./']);
    const fromBuild = copies.filter((copy) => flagsOf(copy).includes('from=build'));
    expect(fromBuild.map(args)).toEqual(['/out/ ./']);
    // /out is made by the build stage from dist folders, data and package.json files: no src, tests or
    // TypeScript, and no node_modules (the runtime installs its own).
    const staging = ofKind(build, 'RUN')
      .map(args)
      .find((script) => script.includes('/out'));
    for (const excluded of ["'./libs/*/src'", "'./libs/*/test'", "'*.spec.*'", "'*.ts'"])
      expect(staging).toContain(`--exclude=${excluded}`);
    expect(staging).toContain('"./services/${SERVICE}/dist"');
    expect(staging).not.toMatch(/node_modules|\.\/services\/\$\{SERVICE\}(\s|")/);
  });

  it('runs in production mode, writes only under /var/lib/backbone, and checks its own health', () => {
    const env = ofKind(runtime, 'ENV').map(args).join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bAUDIT_CHECKPOINT_DIR=\/var\/lib\/backbone\//);
    const owned = ofKind(runtime, 'RUN')
      .map(args)
      .flatMap((script) =>
        [...script.matchAll(/chown\s+\S+\s+([^&]+)/g)].flatMap((m) => m[1]!.trim().split(/\s+/)),
      );
    expect(owned.length).toBeGreaterThan(0);
    for (const dir of owned) expect(dir).toMatch(/^\/var\/lib\/backbone\//);
    const [healthcheck] = ofKind(runtime, 'HEALTHCHECK');
    expect(args(healthcheck!)).toMatch(/^CMD \["node", "-e", ".*\/health\/ready/s);
    expect(args(ofKind(runtime, 'CMD')[0]!)).toContain('dist/main.js');
  });

  it('is the Dockerfile of every service in docker-compose.yml, whose containers are read-only', () => {
    const compose = parse(readFileSync(resolve(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<
        string,
        {
          build?: { dockerfile?: string; args?: Record<string, string> };
          read_only?: boolean;
          tmpfs?: string[];
        }
      >;
    };
    const built = Object.entries(compose.services).filter(
      ([, service]) => service.build?.dockerfile === name(serviceDockerfile),
    );
    const services = readdirSync(servicesDir).filter((dir) =>
      existsSync(resolve(servicesDir, dir, 'package.json')),
    );
    expect(built.map(([name]) => name).sort()).toEqual(services.sort());
    for (const [service, definition] of built)
      expect({ service, read_only: definition.read_only, tmpfs: definition.tmpfs }).toEqual({
        service,
        read_only: true,
        tmpfs: ['/tmp'],
      });
  });
});

describe('.dockerignore', () => {
  it("keeps the host's node_modules, builds and secrets out of the build context", () => {
    const ignored = readFileSync(resolve(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.env', '.data', '.git'])
      expect(ignored).toContain(entry);
  });
});
