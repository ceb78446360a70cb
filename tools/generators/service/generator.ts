import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { formatFiles, generateFiles, type GeneratorCallback, names, type Tree } from '@nx/devkit';

export interface ServiceGeneratorSchema {
  name: string;
  port: number;
  skipContractsGenerate?: boolean;
  skipInstall?: boolean;
}

/** Everything the templates and the edits need, derived once from the name. */
export interface ServiceNames {
  name: string;
  pascal: string;
  constant: string;
  database: string;
  topic: string;
  dlq: string;
  aggregate: string;
  eventType: string;
  eventClass: string;
  eventFile: string;
  /** The sample change's event (an item closed), beside the sample creation's. */
  closedEventType: string;
  closedEventClass: string;
  closedEventFile: string;
  port: number;
  timestamp: number;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function serviceNames(name: string, port: number, timestamp = Date.now()): ServiceNames {
  const { className, constantName } = names(name);
  const aggregate = `${name}-item`;
  return {
    name,
    pascal: className,
    constant: constantName,
    database: name.replace(/-/g, '_'),
    topic: `${name}.events.v1`,
    dlq: `${name}.dlq`,
    aggregate,
    eventType: `${aggregate}.recorded.v1`,
    eventClass: `${className}ItemRecordedV1`,
    eventFile: `${aggregate}-recorded.v1`,
    closedEventType: `${aggregate}.closed.v1`,
    closedEventClass: `${className}ItemClosedV1`,
    closedEventFile: `${aggregate}-closed.v1`,
    port,
    timestamp,
  };
}

interface BackbonePackage {
  backbone?: { port?: number };
}

/** Refuses what would collide: a bad name, an existing service or contract folder, a taken port. */
export function validate(tree: Tree, options: ServiceGeneratorSchema): void {
  const { name, port } = options;
  if (!KEBAB.test(name) || name.length > 40)
    throw new Error(
      `Service name "${name}" must be kebab-case (a-z, 0-9, single dashes), at most 40 characters`,
    );
  if (tree.exists(`services/${name}`)) throw new Error(`services/${name} already exists`);
  const topicFile = `libs/contracts/src/${name}/topic.ts`;
  if (tree.exists(`libs/contracts/src/${name}`)) {
    const constant = names(name).constantName;
    const topic = tree.read(topicFile, 'utf-8') ?? '';
    if (!topic.includes(`${constant}_EVENTS_TOPIC`) || !topic.includes(`${constant}_PRODUCER`))
      throw new Error(
        `libs/contracts/src/${name} exists without ${constant}_EVENTS_TOPIC and ${constant}_PRODUCER in topic.ts`,
      );
  }
  if (!Number.isInteger(port) || port < 1024 || port > 65535)
    throw new Error(`Port ${String(port)} must be an integer between 1024 and 65535`);
  for (const service of tree.children('services')) {
    const file = `services/${service}/package.json`;
    if (!tree.exists(file)) continue;
    const taken = (JSON.parse(tree.read(file, 'utf-8') ?? '{}') as BackbonePackage).backbone?.port;
    if (taken === port) throw new Error(`Port ${port} is already the port of services/${service}`);
  }
}

/** Changes a file; a change that changes nothing is an error unless `mayBeDone` (already there). */
function edit(tree: Tree, path: string, change: (text: string) => string, mayBeDone = false): void {
  const before = tree.read(path, 'utf-8');
  if (before === null) throw new Error(`${path} is missing`);
  const after = change(before);
  if (after === before && !mayBeDone)
    throw new Error(`${path}: the generator found nothing to change (its layout changed?)`);
  tree.write(path, after);
}

/** Inserts `line` after the last line matching `anchor`. */
function afterLastLine(text: string, anchor: RegExp, line: string, what: string): string {
  const lines = text.split('\n');
  let index = -1;
  lines.forEach((candidate, i) => {
    if (anchor.test(candidate)) index = i;
  });
  if (index < 0) throw new Error(`Cannot find where to add ${what}`);
  lines.splice(index + 1, 0, line);
  return lines.join('\n');
}

/**
 * Inserts a JSON array element `line` (without its comma) after the last line matching `anchor`,
 * with the commas JSON wants whether or not the anchor line is the array's last element.
 */
function afterLastJsonLine(text: string, anchor: RegExp, line: string, what: string): string {
  const lines = text.split('\n');
  let index = -1;
  lines.forEach((candidate, i) => {
    if (anchor.test(candidate)) index = i;
  });
  if (index < 0) throw new Error(`Cannot find where to add ${what}`);
  const last = !lines[index]!.trimEnd().endsWith(',');
  if (last) lines[index] = `${lines[index]!.trimEnd()},`;
  lines.splice(index + 1, 0, last ? line : `${line},`);
  return lines.join('\n');
}

/** Adds `item` to the first `[ ... ]` after `marker` (a list of quoted names). */
function addToList(text: string, marker: string, item: string): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`Cannot find "${marker}"`);
  const open = text.indexOf('[', start);
  const close = text.indexOf(']', open);
  const inner = text.slice(open + 1, close).replace(/,\s*$/, '');
  return `${text.slice(0, open + 1)}${inner.trimEnd()}, ${item}${text.slice(close)}`;
}

function addInfrastructure(tree: Tree, n: ServiceNames): void {
  // Its own topic, beside the other producers' (one line per topic, as the file is written).
  edit(
    tree,
    'infra/kafka/topics.json',
    (text) =>
      text.includes(`"name": "${n.topic}"`)
        ? text
        : afterLastJsonLine(
            text,
            /"name": "[^"]+\.events\.v1"/,
            `    { "name": "${n.topic}", "partitions": 6, "retentionMs": 7776000000, "cleanupPolicy": "delete" }`,
            'the topic',
          ),
    true,
  );
  // Its dead-letter topic, if the other principals have theirs (kafka-acls.ts grants it and checks it is declared).
  edit(
    tree,
    'infra/kafka/topics.json',
    (text) =>
      text.includes(`"name": "${n.dlq}"`) || !/"name": "[^"]+\.dlq"/.test(text)
        ? text
        : afterLastJsonLine(
            text,
            /"name": "[^"]+\.dlq"/,
            `    { "name": "${n.dlq}", "partitions": 1, "retentionMs": 2592000000, "cleanupPolicy": "delete" }`,
            'the dead-letter topic',
          ),
    true,
  );
  addKafkaPrincipal(tree, n);
  // Its database, created by `npm start` and the compose init job.
  edit(
    tree,
    'tools/infra/databases.ts',
    (text) =>
      text.includes(`'${n.database}'`)
        ? text
        : addToList(text, 'export const serviceDatabases', `'${n.database}'`),
    true,
  );
  // Its module-boundary scope: it may import shared libs, never another service.
  edit(
    tree,
    'eslint.config.mjs',
    (text) => (text.includes(`'${n.name}'`) ? text : addToList(text, 'const services =', `'${n.name}'`)),
    true,
  );
  edit(tree, 'docker-compose.yml', (text) => {
    const anchor = '\nvolumes:\n';
    if (!text.includes(anchor)) throw new Error('docker-compose.yml: no top-level volumes: section');
    return text.replace(anchor, `\n${composeService(n)}${anchor}`);
  });
  // Prometheus scrapes it in compose (infra/monitoring; tools/monitoring/compose-monitoring.spec.ts).
  edit(
    tree,
    'infra/monitoring/prometheus/prometheus.yml',
    (text) => {
      const target = `      - targets: ['${n.name}:${n.port}']`;
      if (text.includes(target)) return text;
      return afterLastLine(
        text,
        /^ {8}labels: \{ service: [a-z0-9-]+ \}$/,
        `${target}\n        labels: { service: ${n.name} }`,
        'the Prometheus scrape target',
      );
    },
    true,
  );
  addToPackageLock(tree, n);
}

/**
 * Its Kafka principal (docs/adr/0010): WRITE on its own events topic and dead letters, nothing
 * else. Reporting reads every `*.events.v1` topic (EVENT_TOPICS), so its principal may read the
 * new one too. A producer already declared (signing, hotline, party-fee) keeps its line.
 */
function addKafkaPrincipal(tree: Tree, n: ServiceNames): void {
  edit(
    tree,
    'infra/kafka/principals.json',
    (text) => {
      if (text.includes(`"name": "${n.name}"`)) return text;
      const withPrincipal = afterLastJsonLine(
        text,
        /^\s*\{ "name": "[^"]+", "publishes": \[[^\]]*\], "consumes": \[[^\]]*\] \},?$/,
        `    { "name": "${n.name}", "publishes": ["${n.topic}"], "consumes": [] }`,
        'the principal',
      );
      const reporting = withPrincipal.indexOf('"name": "reporting"');
      if (reporting < 0) return withPrincipal;
      const consumes = withPrincipal.indexOf('"consumes"', reporting);
      const open = withPrincipal.indexOf('[', consumes);
      const close = withPrincipal.indexOf(']', open);
      if (consumes < 0 || withPrincipal.slice(open, close).includes(`"${n.topic}"`)) return withPrincipal;
      return `${withPrincipal.slice(0, reporting)}${addToList(withPrincipal.slice(reporting), '"consumes"', `"${n.topic}"`)}`;
    },
    true,
  );
  // The declaration test lists every principal: a new one is agreed like a new topic.
  edit(
    tree,
    'tools/infra/kafka-acls.spec.ts',
    (text) => {
      const names = 'expect(principals.map((principal) => principal.name).sort()).toEqual(';
      const readers = 'for (const service of [';
      let out = text;
      const at = out.indexOf(names);
      if (at >= 0 && !out.slice(at, out.indexOf(']', at)).includes(`'${n.name}'`))
        out = addToList(out, names, `'${n.name}'`);
      const from = out.indexOf(readers);
      if (from >= 0 && !out.slice(from, out.indexOf(']', from + readers.length)).includes(`'${n.name}'`))
        out = addToList(out, readers, `'${n.name}'`);
      return out;
    },
    true,
  );
  // The broker's SCRAM user: broker.sh creates one per principal from KAFKA_<NAME>_PASSWORD.
  const password = `KAFKA_${n.constant}_PASSWORD`;
  edit(
    tree,
    'docker-compose.yml',
    (text) => {
      const required = `      ${password}: \${${password}:?set ${password} in .env}`;
      if (text.includes(required)) return text;
      // A principal declared before its service existed (signing, hotline, party-fee) had it optional.
      const optional = new RegExp(`^      ${password}: \\$\\{${password}:-\\}$`, 'm');
      if (optional.test(text)) return text.replace(optional, required);
      // After the kafka service's last required password (`KAFKA_X_PASSWORD: ${KAFKA_X_PASSWORD:?...`).
      return afterLastLine(text, /^ {6}(KAFKA_[A-Z_]+_PASSWORD): \$\{\1:\?/, required, 'the broker password');
    },
    true,
  );
  edit(
    tree,
    '.env.example',
    (text) => {
      if (new RegExp(`^${password}=`, 'm').test(text)) return text;
      const commented = new RegExp(`^# ${password}=$`, 'm');
      if (commented.test(text)) return text.replace(commented, `${password}=`);
      return afterLastLine(text, /^KAFKA_[A-Z_]+_PASSWORD=/, `${password}=`, 'the broker password');
    },
    true,
  );
}

function composeService(n: ServiceNames): string {
  return `  ${n.name}:
    build:
      context: .
      dockerfile: infra/docker/service.Dockerfile
      args:
        SERVICE: ${n.name}
    # Read-only root filesystem: the service writes only to its volumes and /tmp.
    read_only: true
    tmpfs:
      - /tmp
    environment:
      <<: *service-env
      PORT: ${n.port}
      # Least privilege: the service connects as ${n.database}_app (rows only); migrations run as ${n.database}_owner.
      DATABASE_URL: postgres://${n.database}_app:\${DB_APP_PASSWORD}@postgres:5432/${n.database}
      DATABASE_MIGRATION_URL: postgres://${n.database}_owner:\${DB_OWNER_PASSWORD}@postgres:5432/${n.database}
      KAFKA_SASL_USERNAME: ${n.name}
      KAFKA_SASL_PASSWORD: \${KAFKA_${n.constant}_PASSWORD:?set KAFKA_${n.constant}_PASSWORD in .env}
    ports:
      - '${n.port}:${n.port}'
    volumes:
      - audit-checkpoints:/var/lib/backbone/audit-checkpoints
    depends_on: *service-depends
    healthcheck:
      # Exec form: no shell, so nothing in the script is read as a command substitution.
      test:
        [
          'CMD',
          'node',
          '-e',
          "fetch('http://127.0.0.1:${n.port}/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
        ]
      interval: 10s
      timeout: 5s
      retries: 12
    restart: unless-stopped
`;
}

/** The new workspace package, so that `npm ci` still finds package-lock.json in step with package.json. */
function addToPackageLock(tree: Tree, n: ServiceNames): void {
  if (!tree.exists('package-lock.json')) return;
  const lock = JSON.parse(tree.read('package-lock.json', 'utf-8')!) as {
    packages: Record<string, unknown>;
  };
  const entries = Object.entries(lock.packages);
  const add = (key: string, value: unknown) => {
    if (entries.some(([existing]) => existing === key)) return;
    const at = entries.findIndex(([existing]) => existing !== '' && existing.localeCompare(key, 'en') > 0);
    entries.splice(at < 0 ? entries.length : at, 0, [key, value]);
  };
  add(`node_modules/@backbone/${n.name}-service`, { resolved: `services/${n.name}`, link: true });
  add(`services/${n.name}`, { name: `@backbone/${n.name}-service`, version: '0.1.0' });
  lock.packages = Object.fromEntries(entries);
  tree.write('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
}

/** A producer whose events are already agreed (signing, hotline, party-fee): its folder exists. */
function producerExists(tree: Tree, n: ServiceNames): boolean {
  return tree.exists(`libs/contracts/src/${n.name}/topic.ts`);
}

/** One sample event of a generated service: its type, class, file and catalogue line. */
interface SampleEvent {
  type: string;
  className: string;
  file: string;
  description: string;
  data: Record<string, unknown>;
  /** The fixture's event id and sequence (the item's first event, then its second). */
  fixtureId: string;
  sequence: number;
}

const SAMPLE_ITEM_ID = '019a0000-0000-7000-8000-000000000001';

/** The generated service's events: an item recorded (a creation) and closed (a change). */
function sampleEvents(n: ServiceNames): SampleEvent[] {
  return [
    {
      type: n.eventType,
      className: n.eventClass,
      file: n.eventFile,
      description: `The ${n.name} service recorded an item (the sample event of a generated service).`,
      data: { itemId: SAMPLE_ITEM_ID, recordedAt: '2026-07-01T02:00:00.000Z' },
      fixtureId: '019a0000-0000-7000-8000-000000000002',
      sequence: 1,
    },
    {
      type: n.closedEventType,
      className: n.closedEventClass,
      file: n.closedEventFile,
      description: `The ${n.name} service closed an item (the sample change of a generated service).`,
      data: { itemId: SAMPLE_ITEM_ID, closedAt: '2026-07-01T03:00:00.000Z', version: 2 },
      fixtureId: '019a0000-0000-7000-8000-000000000004',
      sequence: 2,
    },
  ];
}

function addContracts(tree: Tree, n: ServiceNames): void {
  const folder = `libs/contracts/src/${n.name}`;
  const existing = producerExists(tree, n);
  // An existing producer keeps its agreed topic constants; only the sample event joins its folder.
  if (!existing)
    generateFiles(tree, join(__dirname, 'files', 'contracts-producer'), folder, { ...n, template: '' });
  generateFiles(tree, join(__dirname, 'files', 'contracts-event'), folder, { ...n, template: '' });
  const events = sampleEvents(n);
  for (const event of events)
    tree.write(
      `libs/contracts/fixtures/${event.type}.json`,
      `${JSON.stringify(fixture(n, event), null, 2)}\n`,
    );
  if (existing) {
    edit(
      tree,
      `${folder}/index.ts`,
      (text) =>
        `${text.trimEnd()}\n${events.map((event) => `export * from './${event.file}';`).join('\n')}\n`,
    );
    // Its event union (type → class) is what event-union.ts merges into the catalogue-wide one.
    edit(tree, `${folder}/${n.name}-event-union.ts`, (text) => {
      const map = `export const ${n.constant}_EVENT_CLASSES = {`;
      if (!text.includes(map)) throw new Error(`${folder}/${n.name}-event-union.ts: ${map} not found`);
      let result = text;
      for (const event of events)
        result = afterLastLine(
          result,
          /^import /,
          `import { ${event.className} } from './${event.file}';`,
          'the event class import',
        ).replace(/(\n\} as const;)/, `\n  '${event.type}': ${event.className},$1`);
      return result;
    });
    edit(tree, 'libs/contracts/src/catalogue.spec.ts', (text) =>
      text.replace(
        `[${n.constant}_EVENTS_TOPIC]: [`,
        `[${n.constant}_EVENTS_TOPIC]: [\n${events.map((event) => `    '${event.type}',`).join('\n')}`,
      ),
    );
    edit(tree, 'libs/contracts/README.md', (text) => {
      const lines = text.split('\n');
      const heading = lines.indexOf(`### \`${n.topic}\``);
      if (heading < 0) throw new Error(`libs/contracts/README.md: no section for ${n.topic}`);
      let last = heading + 1;
      while (last < lines.length && !lines[last]!.startsWith('|')) last += 1;
      while (last + 1 < lines.length && lines[last + 1]!.startsWith('|')) last += 1;
      lines.splice(last + 1, 0, ...events.map((event) => catalogueRow(event)));
      return lines.join('\n');
    });
    return;
  }

  const module = n.name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  edit(tree, 'libs/contracts/src/index.ts', (text) =>
    text.replace("export * from './topics';", `export * from './${n.name}';\nexport * from './topics';`),
  );
  edit(tree, 'libs/contracts/src/catalogue.ts', (text) =>
    afterLastLine(
      text,
      /^import \* as /,
      `import * as ${module} from './${n.name}';`,
      'the producer import',
    ).replace(/(\n\];\s*)$/, `\n  ...eventClassesOf(${module}),$1`),
  );
  // The catalogue-wide union: `EVENT_CLASSES_BY_TYPE`, `BackboneEvent`, and the spec's producer map.
  const union = `${n.name}/${n.name}-event-union`;
  edit(tree, 'libs/contracts/src/event-union.ts', (text) => {
    const withImport = afterLastLine(
      text,
      /^import \{ [A-Z_]+_EVENT_CLASSES, type [A-Za-z]+Event \}/,
      `import { ${n.constant}_EVENT_CLASSES, type ${n.pascal}Event } from './${union}';`,
      'the event union import',
    );
    const withClasses = withImport.replace(
      /(export const EVENT_CLASSES_BY_TYPE = \{[^}]*?)(\n\} as const;)/,
      `$1\n  ...${n.constant}_EVENT_CLASSES,$2`,
    );
    const withType = withClasses.replace(/(export type BackboneEvent =[^;]*);/, `$1 | ${n.pascal}Event;`);
    if (withClasses === withImport || withType === withClasses)
      throw new Error('libs/contracts/src/event-union.ts: EVENT_CLASSES_BY_TYPE or BackboneEvent not found');
    return withType;
  });
  edit(tree, 'libs/contracts/src/event-union.spec.ts', (text) => {
    const withImport = afterLastLine(
      text,
      /^import \{ [A-Z_]+_EVENT_CLASSES \}/,
      `import { ${n.constant}_EVENT_CLASSES } from './${union}';`,
      'the event union import',
    );
    const withProducer = withImport.replace(
      /(const producers = \{[^}]*?)(\n\s*\};)/,
      `$1\n      '${n.name}': ${n.constant}_EVENT_CLASSES,$2`,
    );
    if (withProducer === withImport)
      throw new Error('libs/contracts/src/event-union.spec.ts: producers not found');
    return withProducer;
  });
  edit(tree, 'libs/contracts/src/topics.ts', (text) =>
    addToList(
      afterLastLine(
        text,
        /^import \{ [A-Z_]+_EVENTS_TOPIC \}/,
        `import { ${n.constant}_EVENTS_TOPIC } from './${n.name}/topic';`,
        'the topic import',
      ),
      'export const EVENT_TOPICS',
      `${n.constant}_EVENTS_TOPIC`,
    ),
  );
  // The agreed catalogue: adding a producer is agreeing on its topic and types.
  edit(tree, 'libs/contracts/src/catalogue.spec.ts', (text) => {
    const agreed = text.indexOf('const AGREED_TYPES');
    const end = text.indexOf('\n};', agreed);
    if (agreed < 0 || end < 0) throw new Error('catalogue.spec.ts: AGREED_TYPES not found');
    const types = events.map((event) => `'${event.type}'`).join(', ');
    const withType = `${text.slice(0, end)}\n  '${n.topic}': [${types}],${text.slice(end)}`;
    return addToList(withType, 'expect(EVENT_TOPICS).toEqual(', `'${n.topic}'`);
  });
  edit(tree, 'libs/contracts/README.md', (text) => {
    const anchor = '\nFields, types and constraints:';
    if (!text.includes(anchor)) throw new Error('libs/contracts/README.md: catalogue section not found');
    const section = [
      `### \`${n.topic}\``,
      '',
      '| type | class | subject (key) | what happened |',
      '| --- | --- | --- | --- |',
      ...events.map((event) => catalogueRow(event)),
      '',
    ].join('\n');
    return text.replace(anchor, `\n${section}${anchor}`);
  });
}

function catalogueRow(event: SampleEvent): string {
  return `| \`${event.type}\` | \`${event.className}\` | \`itemId\` | ${event.description} |`;
}

function fixture(n: ServiceNames, event: SampleEvent) {
  return {
    specversion: '1.0',
    id: event.fixtureId,
    source: `/two-tier-backbone/${n.name}`,
    type: event.type,
    subject: SAMPLE_ITEM_ID,
    time: '2026-07-01T02:00:00.000Z',
    datacontenttype: 'application/json',
    dataschema: `schemas/${event.type}.json`,
    data: event.data,
    unitcode: '00070',
    correlationid: '019a0000-0000-7000-8000-000000000003',
    sequence: event.sequence,
  };
}

function addToReadme(tree: Tree, n: ServiceNames): void {
  if (!tree.exists('README.md')) return;
  edit(tree, 'README.md', (text) => {
    const lines = text.split('\n');
    const heading = lines.indexOf('## Services');
    if (heading < 0) return text;
    let last = heading + 1;
    while (last < lines.length && !lines[last]!.startsWith('|')) last += 1;
    while (last + 1 < lines.length && lines[last + 1]!.startsWith('|')) last += 1;
    lines.splice(
      last + 1,
      0,
      `| [${n.name}](services/${n.name}/README.md) | ${n.port} | TODO (see its README) | \`${n.topic}\` | — |`,
    );
    return lines.join('\n');
  });
}

/**
 * `npx nx g @backbone/tools:service <name> --port <port>`: a service that builds, lints, type-checks
 * and passes its tests, with its database, topic, compose entry, contracts and README skeleton.
 */
export default async function serviceGenerator(
  tree: Tree,
  options: ServiceGeneratorSchema,
): Promise<GeneratorCallback> {
  const port = Number(options.port);
  validate(tree, { ...options, port });
  const n = serviceNames(options.name, port);
  generateFiles(tree, join(__dirname, 'files', 'service'), `services/${n.name}`, {
    ...n,
    template: '',
  });
  addContracts(tree, n);
  addInfrastructure(tree, n);
  addToReadme(tree, n);
  await formatFiles(tree);
  return () => {
    if (!options.skipContractsGenerate) {
      // JSON Schemas, docs/asyncapi.yaml and the compatibility baseline, from the new event class.
      execFileSync('npm', ['run', '--silent', 'contracts:generate'], { cwd: tree.root, stdio: 'inherit' });
    }
    if (!options.skipInstall) {
      // Links the new workspace package (nothing is downloaded: the lock already lists it), so the
      // next `npm start` or `npm test` does not see a lock newer than node_modules and reinstall.
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
        cwd: tree.root,
        stdio: 'inherit',
      });
    }
  };
}
