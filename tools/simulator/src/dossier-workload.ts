// The dossier part of the simulator, shared by the demo workload (demo-workload.ts) and the city's
// 15 days (city-15-days.ts): files a planned dossier through the dossier service's API and moves it
// through its lifecycle (signing the result when a signing service answers), imports a historical
// one through the audited import, counts what it did, and prints it.
import { ApiClient, ApiError, RequestStats } from './api-client';
import { DemoSigning } from './demo-signing';
import { DemoTokens } from './dev-tokens';
import type { HistoricalPlan, LivePlan } from './workload-mix';

export type SignedMode = 'skip' | 'hold' | 'wait';

/** Everything the run counts, printed at the end. */
export class Tally {
  filed = 0;
  readonly byChannel = new Map<string, number>();
  readonly transitions = new Map<string, number>();
  readonly finalStatus = new Map<string, number>();
  readonly errors = new Map<string, number>();
  readonly historyOutcomes = new Map<string, number>();
  imported = 0;
  /** What the reporting service should count, from this run. */
  received = 0;
  resolved = 0;
  returned = 0;
  awaitingSignature = 0;
  shed = 0;
  unfinished = 0;

  add(map: Map<string, number>, key: string, n = 1): void {
    map.set(key, (map.get(key) ?? 0) + n);
  }

  readonly errorSamples: string[] = [];

  error(where: string, error: unknown): void {
    if (this.errorSamples.length < 3 && error instanceof Error) this.errorSamples.push(error.message);
    const key =
      error instanceof ApiError
        ? `${where}: ${error.status} ${error.problemType}${error.field ? ` (${error.field})` : ''}`
        : `${where}: ${error instanceof Error ? error.message : String(error)}`;
    this.add(this.errors, key);
  }
}

export interface Context {
  runId: string;
  dossiers: ApiClient;
  tokens: DemoTokens;
  tally: Tally;
  signed: SignedMode;
  abort: AbortController;
  signal: AbortSignal;
  /** With a signing service: the demo signs what must be signed (demo-signing.ts). */
  signing?: DemoSigning;
}

export async function fileLive(plan: LivePlan, ctx: Context): Promise<void> {
  const { tally, tokens } = ctx;
  const key = (step: string) => `demo-${ctx.runId}-${plan.index}-${step}`;
  const attachments = Array.from({ length: 1 + (plan.index % 3) }, (_, i) => ({
    name: i === 0 ? 'to-khai.pdf' : `giay-to-${i}.pdf`,
    mediaType: 'application/pdf',
    sizeBytes: 40_000 + ((plan.index * 7919 + i * 104_729) % 900_000),
    sha256: sha256Like(plan.index, i),
  }));
  let dossier: { id: string; version: number; status: string };
  try {
    const created =
      plan.channel === 'online'
        ? await ctx.dossiers.request<typeof dossier>(
            'POST',
            '/dossiers/online',
            await tokens.portal(),
            {
              unitCode: plan.unitCode,
              procedureCode: plan.procedure.code,
              applicant: plan.applicant,
              attachments,
            },
            key('create'),
          )
        : await ctx.dossiers.request<typeof dossier>(
            'POST',
            '/dossiers',
            await tokens.officer(plan.unitCode),
            {
              unitCode: plan.unitCode,
              procedureCode: plan.procedure.code,
              channel: plan.channel,
              applicant: plan.applicant,
              digitised: plan.digitised,
              attachments,
            },
            key('create'),
          );
    dossier = created.body;
  } catch (error) {
    tally.error('file', error);
    return;
  }
  tally.filed += 1;
  tally.add(tally.byChannel, plan.channel);
  if (plan.channel !== 'online') tally.received += 1;

  for (const [index, step] of plan.steps.entries()) {
    if (ctx.signal.aborted) break;
    if (step.action === 'return-result' && plan.procedure.requiresSignature) {
      if (ctx.signing && !(await signedByDemo(dossier.id, plan.unitCode, ctx))) {
        tally.awaitingSignature += 1;
        break;
      }
      if (ctx.signed !== 'wait' || !(await waitForSignature(dossier.id, plan.unitCode, ctx))) {
        tally.awaitingSignature += 1;
        break;
      }
      dossier.version = (await currentVersion(dossier.id, plan.unitCode, ctx)) ?? dossier.version;
    }
    const token =
      step.as === 'portal'
        ? await tokens.portal()
        : step.as === 'unit-head'
          ? await tokens.unitHead(plan.unitCode)
          : await tokens.officer(plan.unitCode);
    try {
      const { body } =
        ctx.signing && step.action === 'resolve' && plan.procedure.requiresSignature
          ? {
              body: await ctx.signing.resolveWithResult(
                dossier as typeof dossier & { code: string },
                plan.unitCode,
                key(`${index}-resolve`),
              ),
            }
          : await ctx.dossiers.request<typeof dossier>(
              'POST',
              `/dossiers/${dossier.id}/${step.action}`,
              token,
              { expectedVersion: dossier.version, ...step.body },
              key(`${index}-${step.action}`),
            );
      dossier = body;
      tally.add(tally.transitions, step.action);
      if (step.action === 'accept') tally.received += 1;
      if (step.action === 'resolve') tally.resolved += 1;
      if (step.action === 'return-result') tally.returned += 1;
    } catch (error) {
      tally.error(step.action, error);
      break;
    }
  }
  tally.add(tally.finalStatus, dossier.status);
}

async function currentVersion(id: string, unitCode: string, ctx: Context): Promise<number | undefined> {
  const { body } = await ctx.dossiers.request<{ version: number }>(
    'GET',
    `/dossiers/${id}`,
    await ctx.tokens.officer(unitCode),
  );
  return body.version;
}

async function signedByDemo(id: string, unitCode: string, ctx: Context): Promise<boolean> {
  try {
    return await ctx.signing!.signResult(id, unitCode);
  } catch (error) {
    ctx.tally.error('sign', error);
    return false;
  }
}

/** With a signing service: wait (bounded) until the dossier service has recorded the signature. */
async function waitForSignature(id: string, unitCode: string, ctx: Context): Promise<boolean> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const { body } = await ctx.dossiers.request<{ signatureCompleted: boolean }>(
      'GET',
      `/dossiers/${id}`,
      await ctx.tokens.officer(unitCode),
    );
    if (body.signatureCompleted) return true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  return false;
}

export async function importHistorical(plan: HistoricalPlan, ctx: Context): Promise<void> {
  try {
    await ctx.dossiers.request(
      'POST',
      '/dossiers/imports',
      await ctx.tokens.migration(),
      importBody(plan, ctx),
      `demo-${ctx.runId}-h${plan.index}`,
    );
  } catch (error) {
    ctx.tally.error('import', error);
    return;
  }
  countImported(plan, ctx.tally);
}

/**
 * Historical dossiers in one request (POST /dossiers/imports/batches: all or none, at most 500):
 * the city's 15 days import tens of thousands, which one request each would spend on HTTP.
 */
export async function importHistoricalBatch(plans: readonly HistoricalPlan[], ctx: Context): Promise<void> {
  if (plans.length === 0) return;
  try {
    await ctx.dossiers.request(
      'POST',
      '/dossiers/imports/batches',
      await ctx.tokens.migration(),
      { dossiers: plans.map((plan) => importBody(plan, ctx)) },
      `demo-${ctx.runId}-hb${plans[0]!.index}-${plans.length}`,
    );
  } catch (error) {
    for (const _plan of plans) ctx.tally.error('import', error);
    return;
  }
  for (const plan of plans) countImported(plan, ctx.tally);
}

function importBody(plan: HistoricalPlan, ctx: Context) {
  // The reform merged 30 districts' systems into the wards and communes; the source is one of them.
  const district = String((Number(plan.unitCode) % 30) + 1).padStart(2, '0');
  return {
    sourceSystem: `motcua-cap-huyen-${district}`,
    sourceReference: `${ctx.runId}-${plan.index}`,
    unitCode: plan.unitCode,
    procedureCode: plan.procedure.code,
    channel: plan.channel,
    applicant: plan.applicant,
    digitised: plan.digitised,
    ...(plan.submittedAt ? { submittedAt: plan.submittedAt } : {}),
    receivedAt: plan.receivedAt,
    transitions: plan.transitions,
  };
}

function countImported(plan: HistoricalPlan, tally: Tally): void {
  tally.imported += 1;
  tally.received += 1;
  tally.add(tally.historyOutcomes, plan.outcome);
  if (plan.transitions.some((t) => t.action === 'resolve')) tally.resolved += 1;
  if (plan.transitions.some((t) => t.action === 'return-result')) tally.returned += 1;
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next]!;
        next += 1;
        await work(item);
      }
    }),
  );
}

export function printTally(
  tally: Tally,
  stats: RequestStats,
  liveSeconds: number,
  totalSeconds: number,
): string {
  const list = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const ms = (value: number | null) => (value === null ? '–' : `${value.toFixed(0)} ms`);
  return [
    `Demo summary (${totalSeconds.toFixed(1)} s in all)`,
    `  history imported: ${tally.imported} (${list(tally.historyOutcomes)})`,
    `  filed live: ${tally.filed} in ${liveSeconds.toFixed(1)} s (${(tally.filed / Math.max(liveSeconds, 0.001)).toFixed(1)}/s) by channel: ${list(tally.byChannel)}`,
    `  transitions: ${list(tally.transitions)}`,
    `  final status of live dossiers: ${list(tally.finalStatus)}`,
    ...(tally.awaitingSignature > 0
      ? [`  resolved, awaiting a signature before return: ${tally.awaitingSignature}`]
      : []),
    ...(tally.shed > 0 || tally.unfinished > 0
      ? [`  shed (in-flight limit): ${tally.shed}; unfinished at the drain limit: ${tally.unfinished}`]
      : []),
    `  requests: ${stats.requests} (retries after 429: ${stats.retriesAfter429}, after failures: ${stats.retriesAfterFailure}); ` +
      `latency p50 ${ms(stats.percentile(0.5))}, p95 ${ms(stats.percentile(0.95))}, p99 ${ms(stats.percentile(0.99))}`,
    `  errors: ${list(tally.errors)}`,
    ...tally.errorSamples.map((sample) => `    e.g. ${sample}`),
  ].join('\n');
}

/** A stand-in digest for a demo attachment (64 lower-case hex characters, unique per file). */
function sha256Like(index: number, file: number): string {
  return `${index.toString(16).padStart(8, '0')}${file.toString(16).padStart(4, '0')}`.padEnd(64, 'a');
}

/** The signing mode of a run: `auto` waits for signatures when a signing service answers, else skips. */
export async function signedMode(
  signed: 'auto' | SignedMode,
  signingUrl: string | undefined,
): Promise<SignedMode> {
  if (signed !== 'auto') return signed;
  if (!signingUrl) return 'skip';
  try {
    return (await fetch(`${signingUrl}/health/live`)).ok ? 'wait' : 'skip';
  } catch {
    return 'skip';
  }
}
