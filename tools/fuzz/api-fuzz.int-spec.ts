import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type DevOidcProcess, spawnDevOidcProvider } from '@backbone/testing';
import fc from 'fast-check';
import { repoRoot } from '../infra/paths';
import { discoverServices } from '../stack/services';
import { describeRequest, type HttpRequest, toHttpRequest } from './http-request';
import { type FuzzOperation, fuzzOperations, type OpenApiDocument } from './openapi-operations';
import { type FuzzRequest, requestArbitrary } from './request-arbitraries';
import {
  differences,
  FUZZ_BODY_LIMIT_BYTES,
  startServiceUnderFuzz,
  type ServiceUnderFuzz,
  WrittenState,
} from './service-under-fuzz';

/**
 * Every discovered service, fuzzed through its own OpenAPI document (tools/fuzz/README.md):
 * generated requests, valid, at the edges and hostile, sent one at a time to the real process.
 * Each must be answered below 500 within 2 s, and a 4xx answer must have written nothing.
 * FUZZ_SEED and FUZZ_RUNS (per service) repeat or lengthen a run; `npm run test:fuzz` runs long.
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_251_130;
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 300;
/** fast-check's replay path of a failure (printed with it), to run just that case again. */
const REPLAY_PATH = process.env.FUZZ_PATH;
const ANSWER_WITHIN_MS = 2_000;
/** FUZZ_VERBOSE=1: one line per request on stderr. */
const VERBOSE = process.env.FUZZ_VERBOSE === '1';
/** How long a request may hang before the suite stops waiting (the failure is the 2 s above). */
const GIVE_UP_AFTER_MS = 15_000;

/** Callers of every kind: each role, one or several units, a role without units, no or a bad token. */
const CALLERS: readonly { label: string; roles?: string[]; units?: string[]; token?: string }[] = [
  { label: 'city-admin', roles: ['city-admin'], units: [] },
  { label: 'officer 00070', roles: ['officer'], units: ['00070'] },
  { label: 'unit-head 00103', roles: ['unit-head'], units: ['00103'] },
  { label: 'officer+signer 00070,00466', roles: ['officer', 'signer'], units: ['00070', '00466'] },
  { label: 'auditor', roles: ['auditor'], units: [] },
  { label: 'hotline-agent 00070', roles: ['hotline-agent'], units: ['00070'] },
  { label: 'party-cell-treasurer 00070', roles: ['party-cell-treasurer'], units: ['00070'] },
  { label: 'service', roles: ['service'], units: [] },
  { label: 'no token' },
  { label: 'bad token', token: 'not-a-token' },
];

const PROCEDURE_CODES = (
  JSON.parse(
    readFileSync(resolve(repoRoot, 'services/dossier/src/reference-data/procedures.seed.json'), 'utf8'),
  ) as { procedures: { code: string }[] }
).procedures
  .slice(0, 3)
  .map((procedure) => procedure.code);

/** Domain values the generator prefers where a pattern accepts them, to get past validation. */
const KNOWN_VALUES: readonly string[] = [
  '00070',
  '00103',
  '00466',
  ...PROCEDURE_CODES,
  '2025-07-01',
  '2025-07-15',
  '2025-09-02',
  '2025-07-01T02:00:00.000Z',
  '2025-07',
  'received',
  'accept',
];

/** Field names that say what they hold: their known values come first. */
const KNOWN_VALUES_BY_FIELD = [
  { field: /unit/i, values: ['00070', '00103', '00466'] },
  { field: /procedure/i, values: PROCEDURE_CODES },
  // Province 001 (Hanoi), a valid century-and-sex digit and birth year.
  { field: /nationalId/i, values: ['001090012345', '001195012345'] },
  { field: /(^|[a-z])(date|day|from|to)$/i, values: ['2025-07-01', '2025-07-15', '2025-09-02'] },
  { field: /(At|time)$/, values: ['2025-07-01T02:00:00.000Z', '2025-07-14T09:30:00.000Z'] },
];

const services = discoverServices();

describe('API fuzzing: every service, from its OpenAPI document', () => {
  it('discovers the services to fuzz', () => {
    expect(services.map((service) => service.name)).toEqual(expect.arrayContaining(['dossier', 'reporting']));
  });

  // The development OpenID Connect provider, as `npm start` runs it: the dashboard's sign-in routes
  // reach it (a forged code is refused by it: 4xx), not a missing one (503).
  let identity: DevOidcProcess | undefined;
  const dependencyEnv: Record<string, string> = {};
  beforeAll(async () => {
    identity = await spawnDevOidcProvider({
      issuer: 'http://127.0.0.1:0/realms/fuzz',
      port: 0,
      password: randomBytes(12).toString('base64url'),
      dashboardRedirectUris: [],
      keyDir: mkdtempSync(join(tmpdir(), 'fuzz-oidc-')),
    });
    dependencyEnv.DASHBOARD_OIDC_ISSUER = identity.issuer;
  }, 120_000);
  afterAll(async () => {
    await identity?.stop();
  });

  describe.each(services.map((service) => [service.name, service] as const))('%s', (name, descriptor) => {
    let service: ServiceUnderFuzz;
    let state: WrittenState;
    let operations: FuzzOperation[];
    const agent = new Agent({ keepAlive: true });

    beforeAll(async () => {
      service = await startServiceUnderFuzz(descriptor, dependencyEnv);
      state = await WrittenState.open(service);
      const document = (await (
        await fetch(`${service.baseUrl}/docs/openapi.json`)
      ).json()) as OpenApiDocument;
      operations = fuzzOperations(document);
    }, 180_000);

    afterAll(async () => {
      agent.destroy();
      await state?.close();
      await service?.stop();
    });

    it(
      `answers ${RUNS} generated requests below 500, within 2 s, writing nothing when it refuses`,
      async () => {
        expect(operations.length).toBeGreaterThan(0);
        const tokens = CALLERS.map((caller) =>
          caller.roles ? service.signToken(caller.roles, caller.units ?? []) : caller.token,
        );
        const byId = new Map(operations.map((operation) => [operation.id, operation]));
        const options = {
          bodyLimitBytes: service.bodyLimitBytes,
          callers: CALLERS.length,
          knownValues: KNOWN_VALUES,
          knownValuesByField: KNOWN_VALUES_BY_FIELD,
        };
        const requests = fc.oneof(...operations.map((operation) => requestArbitrary(operation, options)));
        // The first request of a route pays for its compilation and connections: not a hang.
        for (const operation of operations) {
          await send(
            service.baseUrl,
            toHttpRequest(operation.pathTemplate, operation.method, emptyRequest(operation)),
            tokens[0],
            agent,
          );
        }

        if (VERBOSE) process.stderr.write(`${name}: ${operations.length} operations warmed up\n`);
        let before = await state.settled();
        const statuses = new Map<string, number>();
        const property = fc.asyncProperty(requests, async (request) => {
          const operation = byId.get(request.operation) as FuzzOperation;
          const http = toHttpRequest(operation.pathTemplate, operation.method, request);
          const answer = await send(service.baseUrl, http, tokens[request.caller], agent);
          if (VERBOSE) {
            const line = describeRequest(http, CALLERS[request.caller].label).slice(0, 300);
            process.stderr.write(`${answer.status} ${answer.elapsedMs} ms ${line}\n`);
          }
          const account = () =>
            `${describeRequest(http, CALLERS[request.caller].label)}\n  answer: ${answer.status} in ${answer.elapsedMs} ms ${answer.body.slice(0, 300)}`;
          const key = `${operation.id} ${answer.status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (answer.status === 0) throw new Error(`no answer (${answer.error}):\n${account()}`);
          if (answer.status >= 500) throw new Error(`server error:\n${account()}`);
          if (answer.elapsedMs > ANSWER_WITHIN_MS)
            throw new Error(`answered after more than 2 s:\n${account()}`);
          if (answer.status >= 400) {
            const after = await state.snapshot();
            const changed = differences(before, after);
            before = after;
            if (changed.length > 0)
              throw new Error(
                `refused with ${answer.status} but wrote:\n  ${changed.join('\n  ')}\n${account()}`,
              );
          } else {
            before = await state.settled();
          }
        });

        const started = Date.now();
        const result = await fc.check(property, {
          seed: SEED,
          numRuns: RUNS,
          ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}),
        });
        process.stdout.write(
          `api fuzz ${name}: seed ${SEED}, ${result.numRuns} requests in ${Date.now() - started} ms\n` +
            `${[...statuses]
              .sort()
              .map(([status, count]) => `  ${status} × ${count}`)
              .join('\n')}\n`,
        );
        if (result.failed) {
          // The whole failing request, for curl or a debugger: the message elides long values.
          const [counterexample] = result.counterexample ?? [];
          const failureFile = resolve(repoRoot, '.cache', `api-fuzz-${name}-failure.json`);
          if (counterexample) {
            const operation = byId.get(counterexample.operation) as FuzzOperation;
            mkdirSync(dirname(failureFile), { recursive: true });
            writeFileSync(
              failureFile,
              JSON.stringify(
                toHttpRequest(operation.pathTemplate, operation.method, counterexample),
                null,
                2,
              ),
            );
          }
          // The service's log is batched: stopping it flushes the lines about the failure.
          await state.close();
          await service.stop();
          const error =
            result.errorInstance instanceof Error
              ? result.errorInstance.message
              : String(result.errorInstance);
          throw new Error(
            `api fuzz ${name} failed (FUZZ_SEED=${SEED} FUZZ_PATH=${result.counterexamplePath} to replay it; ` +
              `shrunk ${result.numShrinks} times; the request is in ${failureFile}):\n${error}\n\nservice output (tail):\n${service.output().slice(-3_000)}`,
          );
        }
      },
      // A generous bound: warm-up, RUNS requests with their snapshots, and the shrinking of one failure.
      180_000 + RUNS * 1_000,
    );
  });
});

/** The operation with its parameters' names only: a cheap first request to warm the route up. */
function emptyRequest(operation: FuzzOperation): FuzzRequest {
  return {
    operation: operation.id,
    flavour: 'valid',
    caller: 0,
    pathParameters: Object.fromEntries(operation.pathParameters.map((p) => [p.name, 'warm-up'])),
    query: {},
    ...(operation.body ? { body: {} } : {}),
    mutations: [],
  };
}

interface Answer {
  status: number;
  elapsedMs: number;
  body: string;
  error?: string;
}

/** node:http rather than fetch: the path goes out exactly as written (raw `%`, `..`), not normalised. */
function send(baseUrl: string, http: HttpRequest, token: string | undefined, agent: Agent): Promise<Answer> {
  if (http.body !== undefined && Buffer.byteLength(http.body) > FUZZ_BODY_LIMIT_BYTES) {
    return sendOverLimit(baseUrl, http, token);
  }
  const url = new URL(baseUrl);
  const started = Date.now();
  return new Promise((resolveAnswer) => {
    let settled = false;
    const finish = (answer: Omit<Answer, 'elapsedMs'>) => {
      if (settled) return;
      settled = true;
      resolveAnswer({ ...answer, elapsedMs: Date.now() - started });
    };
    const body = http.body === undefined ? undefined : Buffer.from(http.body, 'utf8');
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: http.method,
        path: http.url,
        agent,
        headers: {
          ...http.headers,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-length': String(body.length) } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < 2_000) text += chunk;
        });
        response.on('end', () => finish({ status: response.statusCode ?? 0, body: text }));
        // A status line and headers were received even if the connection then closed early.
        response.on('close', () => finish({ status: response.statusCode ?? 0, body: text }));
        response.on('error', (error) =>
          finish({ status: response.statusCode ?? 0, body: text, error: error.message }),
        );
      },
    );
    // A wall-clock bound, not a socket timeout: a request still waiting for a socket has none.
    const giveUp = setTimeout(
      () => request.destroy(new Error(`no answer in ${GIVE_UP_AFTER_MS} ms`)),
      GIVE_UP_AFTER_MS,
    );
    request.on('close', () => clearTimeout(giveUp));
    // A server refusing a large body (413) answers and closes while the body is still being
    // written: the write fails (EPIPE) but the answer is there; give it a moment to be read.
    request.on('error', (error) => {
      setTimeout(() => finish({ status: 0, body: '', error: error.message }), 250);
    });
    request.end(body);
  });
}

/**
 * A body over the limit on a socket of its own: the server answers 413 and closes while the body
 * is still being written, and node:http then reports the failed write (EPIPE) instead of the
 * answer. Here the answer to the headers alone is read first; a body goes out only without one.
 */
function sendOverLimit(baseUrl: string, http: HttpRequest, token: string | undefined): Promise<Answer> {
  const url = new URL(baseUrl);
  const started = Date.now();
  const body = Buffer.from(http.body ?? '', 'utf8');
  const headers = {
    host: url.host,
    connection: 'close',
    ...http.headers,
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    'content-length': String(body.length),
  };
  const head = `${http.method} ${http.url} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolveAnswer) => {
    let received = '';
    let writeError: string | undefined;
    const socket = connect(Number(url.port), url.hostname);
    const giveUp = setTimeout(() => socket.destroy(), GIVE_UP_AFTER_MS);
    socket.on('data', (chunk) => {
      if (received.length < 4_000) received += chunk.toString('utf8');
    });
    socket.on('error', (error) => (writeError = error.message));
    socket.on('close', () => {
      clearTimeout(giveUp);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0);
      const answerBody = received.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      resolveAnswer({
        status,
        elapsedMs: Date.now() - started,
        body: answerBody,
        ...(status === 0 ? { error: writeError ?? 'closed without an answer' } : {}),
      });
    });
    // Headers first: a server that refuses by Content-Length answers at once, and a body
    // written into a closing socket would fail the write before the answer is read (EPIPE).
    socket.write(head);
    setTimeout(() => {
      if (received) socket.end();
      else socket.end(body);
    }, 200);
  });
}
