import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKafkaBrokers } from '@backbone/testing';
import { Kafka, logLevel } from 'kafkajs';
import { repoRoot } from '../../infra/paths';
import { copyWorkspace } from './workspace-copy';

// A fixed name and a port no real service takes. The copy's test set-up applies its topics.json
// (which then lists throwaway.events.v1 and throwaway.dlq) to the shared broker, and the service's
// integration test makes test_throwaway_events_* topics: afterAll deletes them all again.
const NAME = 'throwaway';
const PORT = 3190;

/** Deletes the topics a run made on the shared broker (test databases drop themselves). */
async function deleteThrowawayTopics(): Promise<void> {
  const admin = new Kafka({
    clientId: 'generator-test-cleanup',
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const ours = (await admin.listTopics()).filter(
      (topic) =>
        topic === `${NAME}.events.v1` || topic === `${NAME}.dlq` || topic.startsWith(`test_${NAME}_events_`),
    );
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  } finally {
    await admin.disconnect();
  }
}

/**
 * The generator's proof: in a copy of the workspace, `nx g @backbone/tools:service` makes a service
 * that type-checks, lints (module boundaries included), builds, and passes its unit and
 * integration tests against the real broker and database, with the contracts tests still green.
 */
describe('nx g @backbone/tools:service (in a copy of the workspace)', () => {
  let copy: string;

  function run(command: string, args: string[], timeoutMs = 300_000) {
    const result = spawnSync(command, args, {
      cwd: copy,
      encoding: 'utf8',
      timeout: timeoutMs,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' },
    });
    return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
  }

  const bin = (name: string) => join(copy, 'node_modules', '.bin', name);

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'backbone-generator-'));
    copyWorkspace(repoRoot, copy, [NAME]);
    // --skip-install: the copy's node_modules are links into this workspace's, npm must not touch them.
    const generated = run(bin('nx'), [
      'g',
      '@backbone/tools:service',
      NAME,
      '--port',
      String(PORT),
      '--skip-install',
      '--no-interactive',
    ]);
    expect({ status: generated.status, output: generated.output }).toMatchObject({ status: 0 });
  }, 300_000);

  afterAll(async () => {
    if (copy) rmSync(copy, { recursive: true, force: true });
    await deleteThrowawayTopics();
  }, 60_000);

  it('writes the service, its contracts, topics, principal, database, compose entry and README', () => {
    const service = join(copy, 'services', NAME);
    for (const file of ['src/main.ts', 'src/app.module.ts', 'src/config.ts', 'src/migrate.ts', 'README.md'])
      expect(existsSync(join(service, file))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(service, 'package.json'), 'utf8')) as { backbone: unknown };
    expect(pkg.backbone).toEqual({
      port: PORT,
      database: NAME,
      main: 'dist/main.js',
      migrate: 'dist/migrate.js',
    });
    const project = JSON.parse(readFileSync(join(service, 'project.json'), 'utf8')) as { tags: string[] };
    expect(project.tags).toEqual([`scope:${NAME}`, 'type:app']);
    const topics = readFileSync(join(copy, 'infra/kafka/topics.json'), 'utf8');
    expect(topics).toContain(`"${NAME}.events.v1"`);
    expect(topics).toContain(`"${NAME}.dlq"`);
    const { principals } = JSON.parse(readFileSync(join(copy, 'infra/kafka/principals.json'), 'utf8')) as {
      principals: { name: string; publishes: string[]; consumes: string[] }[];
    };
    expect(principals.find((principal) => principal.name === NAME)).toEqual({
      name: NAME,
      publishes: [`${NAME}.events.v1`],
      consumes: [],
    });
    expect(principals.find((principal) => principal.name === 'reporting')?.consumes).toContain(
      `${NAME}.events.v1`,
    );
    const compose = readFileSync(join(copy, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(
      `DATABASE_URL: postgres://${NAME}_app:\${DB_APP_PASSWORD}@postgres:5432/${NAME}`,
    );
    expect(compose).toContain(`DATABASE_MIGRATION_URL: postgres://${NAME}_owner:`);
    expect(compose).toContain(`KAFKA_SASL_USERNAME: ${NAME}`);
    expect(compose).toContain(`KAFKA_THROWAWAY_PASSWORD: \${KAFKA_THROWAWAY_PASSWORD:?`);
    expect(readFileSync(join(copy, '.env.example'), 'utf8')).toMatch(/^KAFKA_THROWAWAY_PASSWORD=$/m);
    expect(readFileSync(join(copy, 'libs/contracts/src/event-union.ts'), 'utf8')).toContain(
      '...THROWAWAY_EVENT_CLASSES',
    );
    expect(readFileSync(join(copy, 'tools/infra/databases.ts'), 'utf8')).toContain(`'${NAME}'`);
    expect(compose).toContain(`SERVICE: ${NAME}`);
    expect(existsSync(join(copy, `libs/contracts/schemas/${NAME}-item.recorded.v1.json`))).toBe(true);
    expect(existsSync(join(copy, `libs/contracts/schemas/${NAME}-item.closed.v1.json`))).toBe(true);
    expect(readFileSync(join(copy, 'docs/asyncapi.yaml'), 'utf8')).toContain(`${NAME}.events.v1`);
  });

  it('refuses an existing service, a taken port and a name that is not kebab-case', () => {
    const attempt = (name: string, port: number) =>
      run(bin('nx'), [
        'g',
        '@backbone/tools:service',
        name,
        '--port',
        String(port),
        '--dry-run',
        '--no-interactive',
      ]);
    expect(attempt(NAME, 3191)).toMatchObject({
      status: 1,
      output: expect.stringContaining('already exists'),
    });
    expect(attempt('other', 3101)).toMatchObject({
      status: 1,
      output: expect.stringContaining('already the port'),
    });
    expect(attempt('Bad_Name', 3192)).toMatchObject({
      status: 1,
      output: expect.stringContaining('kebab-case'),
    });
  }, 120_000);

  it('type-checks, lints and is formatted', () => {
    const typecheck = run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    expect(typecheck).toEqual({ status: 0, output: '' });
    expect(run(bin('nx'), ['show', 'projects']).status).toBe(0);
    const lint = run(bin('eslint'), [
      `services/${NAME}`,
      'libs/contracts',
      'tools/infra',
      'eslint.config.mjs',
      '--max-warnings',
      '0',
    ]);
    expect(lint).toMatchObject({ status: 0 });
    const format = run(bin('prettier'), [
      '--check',
      `services/${NAME}`,
      'libs/contracts',
      'infra/kafka',
      'tools/infra',
      'docker-compose.yml',
      'README.md',
    ]);
    expect(format).toMatchObject({ status: 0 });
  }, 300_000);

  it('keeps the new service apart: importing another service fails the lint', () => {
    const probe = spawnSync(
      bin('eslint'),
      [
        '--format',
        'json',
        '--stdin',
        '--stdin-filename',
        join(copy, 'services', NAME, 'src', 'boundary-probe.ts'),
      ],
      {
        cwd: copy,
        encoding: 'utf8',
        input: "import { AppModule } from '../../dossier/src/app.module';\nexport const probe = AppModule;\n",
      },
    );
    const [report] = JSON.parse(probe.stdout) as { messages: { ruleId: string | null }[] }[];
    expect(report!.messages.some((m) => m.ruleId === '@nx/enforce-module-boundaries')).toBe(true);
  }, 120_000);

  it('builds', () => {
    const build = run(bin('nx'), ['run', `${NAME}:build`, '--output-style=static', '--skip-nx-cache']);
    expect(build).toMatchObject({ status: 0 });
    expect(existsSync(join(copy, 'services', NAME, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(copy, 'services', NAME, 'dist', 'migrate.js'))).toBe(true);
  }, 300_000);

  it('passes its unit and integration tests, and the contracts, ACL and stack tests still pass', () => {
    const tests = run(
      process.execPath,
      [
        join(copy, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--selectProjects',
        'unit',
        'int',
        '--maxWorkers=2',
        `services/${NAME}`,
        'libs/contracts',
        'tools/stack/docker-compose.spec.ts',
        'tools/infra/topics.spec.ts',
        'tools/infra/kafka-acls.spec.ts',
      ],
      600_000,
    );
    // On failure, the copy's failing tests are what to read (jest prints only the status otherwise).
    if (tests.status !== 0) console.error(tests.output.slice(-20_000));
    expect(tests).toMatchObject({ status: 0 });
    expect(tests.output).toMatch(new RegExp(`PASS int services/${NAME}/test/record-item\\.int-spec\\.ts`));
    expect(tests.output).toMatch(new RegExp(`PASS unit services/${NAME}/src/item/record-item\\.spec\\.ts`));
    expect(tests.output).toMatch(new RegExp(`PASS unit services/${NAME}/src/item/close-item\\.spec\\.ts`));
  }, 660_000);
});
