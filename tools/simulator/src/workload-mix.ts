// The demo's mix, after the city's own 15-day report (field guide §1): 66,000+ dossiers in 13
// days across the 126 units, 14% of them online, many filed with the help of public-service agents,
// most resolved on time. Pure: a seeded generator in, plans out; the CLI carries them out through
// the dossier service's API.
import type { SeededRandom } from './seeded-random';
import {
  addWorkingMinutes,
  approximateDueAt,
  isWorkingDay,
  officeInstant,
  statutoryWorkingMinutes,
} from './working-hours';

export interface DemoProcedure {
  code: string;
  field: string;
  onlineLevel: 'full' | 'partial' | 'none';
  feeVnd: number;
  requiresSignature: boolean;
  statutoryTime: { unit: string; value?: number };
}

export type DeskChannel = 'direct' | 'postal' | 'agent';
export type DemoChannel = DeskChannel | 'online';

/** Share of received dossiers that came online (the city: 14%). */
export const ONLINE_SHARE_OF_RECEIVED = 0.14;
/** Online submissions the unit refuses at intake (incomplete, wrong procedure). */
export const ONLINE_REFUSAL_RATE = 0.08;
/** Desk channels among non-online dossiers: most in person, agents help many, some by post. */
export const DESK_CHANNELS: readonly (readonly [DeskChannel, number])[] = [
  ['direct', 0.72],
  ['agent', 0.2],
  ['postal', 0.08],
];
/** Of resolved historical dossiers, the share resolved after the due date. */
export const LATE_RATE = 0.08;
export const SUPPLEMENT_RATE = 0.1;

/** Weights by field: civil status and certification dominate a commune's desk. */
export const FIELD_WEIGHTS: Record<string, number> = {
  'Hộ tịch': 40,
  'Chứng thực': 30,
  'Cư trú': 16,
  'Thành lập và hoạt động của hộ kinh doanh': 5,
  'Bảo trợ xã hội': 4,
  'Đất đai': 3,
  'Hoạt động xây dựng': 2,
};
const OTHER_FIELD_WEIGHT = 1;
/** Within a field: births outnumber deaths, copies outnumber contracts. Default 1. */
export const PROCEDURE_WEIGHTS: Record<string, number> = {
  '1.001193': 3, // khai sinh
  '1.000894': 1.5, // kết hôn
  '1.000656': 1, // khai tử
  '1.004873': 2.5, // xác nhận tình trạng hôn nhân
  '2.000635': 2, // trích lục hộ tịch
  '1.004859': 0.5,
  '1.004884': 0.5,
  '2.000815': 6, // chứng thực bản sao
  '2.000884': 2, // chứng thực chữ ký
  'HN-CT-HD': 1.5, // chứng thực hợp đồng
  '1.004194': 2, // tạm trú
  '1.004222': 1, // thường trú
};

/** Outcomes of a dossier filed now, moved through its lifecycle during the run. */
export const LIVE_OUTCOMES = [
  ['returned', 0.7],
  ['resolved', 0.1],
  ['in-progress', 0.15],
  ['withdrawn', 0.035],
  ['stopped', 0.015],
] as const;
export type LiveOutcome = (typeof LIVE_OUTCOMES)[number][0] | 'refused';

/** Probability of the online channel per filing, so that received online ≈ 14% after refusals. */
export function onlineSubmissionShare(
  target = ONLINE_SHARE_OF_RECEIVED,
  refusal = ONLINE_REFUSAL_RATE,
): number {
  // online received / all received = p(1 − r) / (1 − p·r) = target
  return target / (1 - refusal + target * refusal);
}

/** Weight of each procedure in the mix: its field's weight shared among the field's procedures. */
export function procedureWeights(procedures: readonly DemoProcedure[]): (readonly [DemoProcedure, number])[] {
  const byField = new Map<string, DemoProcedure[]>();
  for (const p of procedures) byField.set(p.field, [...(byField.get(p.field) ?? []), p]);
  const weights: (readonly [DemoProcedure, number])[] = [];
  for (const [field, members] of byField) {
    const fieldWeight = FIELD_WEIGHTS[field] ?? OTHER_FIELD_WEIGHT;
    const inner = members.reduce((sum, p) => sum + (PROCEDURE_WEIGHTS[p.code] ?? 1), 0);
    for (const p of members) weights.push([p, (fieldWeight * (PROCEDURE_WEIGHTS[p.code] ?? 1)) / inner]);
  }
  return weights;
}

export interface Applicant {
  fullName: string;
  nationalId: string;
  phone: string;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Đức', 'Thu', 'Ngọc', 'Quang', 'Thanh', 'Hữu', 'Phương'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Hà',
  'Hùng',
  'Lan',
  'Linh',
  'Mai',
  'Nam',
  'Phương',
  'Quân',
  'Trang',
  'Tuấn',
  'Yến',
  'Khoa',
];
/** Birth-registration province codes: mostly Hà Nội (001), then neighbours and Hồ Chí Minh City. */
const PROVINCES: readonly (readonly [string, number])[] = [
  ['001', 70],
  ['030', 5],
  ['036', 5],
  ['037', 4],
  ['038', 6],
  ['040', 5],
  ['079', 5],
];

/** A made-up applicant with a national ID that passes the service's check (province, birth year). */
export function makeApplicant(rng: SeededRandom, now: Date): Applicant {
  const birthYear = rng.int(1945, Math.min(now.getUTCFullYear() - 1, 2008));
  const female = rng.chance(0.5);
  const century = birthYear >= 2000 ? 2 : 0;
  const nationalId = `${rng.weighted(PROVINCES)}${century + (female ? 1 : 0)}${String(birthYear % 100).padStart(2, '0')}${rng.digits(6)}`;
  const middle = female ? rng.pick(['Thị', 'Thu', 'Ngọc', 'Phương', 'Thanh']) : rng.pick(MIDDLE);
  return {
    fullName: `${rng.pick(FAMILY)} ${middle} ${rng.pick(GIVEN)}`,
    nationalId,
    phone: `09${rng.digits(8)}`,
  };
}

export interface MixOptions {
  units: readonly string[];
  procedures: readonly DemoProcedure[];
  now: Date;
}

interface BasePlan {
  index: number;
  unitCode: string;
  procedure: DemoProcedure;
  channel: DemoChannel;
  digitised: boolean;
  applicant: Applicant;
}

/** A step through the dossier API: the URL action, its body, and which kind of caller sends it. */
export interface LiveStep {
  action:
    | 'accept'
    | 'refuse'
    | 'start-processing'
    | 'request-supplement'
    | 'provide-supplement'
    | 'request-payment'
    | 'record-payment'
    | 'resolve'
    | 'return-result'
    | 'withdraw'
    | 'stop';
  body: Record<string, unknown>;
  as: 'officer' | 'unit-head' | 'portal';
}

/** A dossier's unit and channel fixed by a plan (city-15-days-plan.ts) instead of drawn. */
export interface Assignment {
  unitCode: string;
  channel: DemoChannel;
}

export interface LivePlan extends BasePlan {
  outcome: LiveOutcome;
  steps: LiveStep[];
}

export interface HistoricalTransition {
  action: string;
  at: string;
  reason?: string;
  paymentChannel?: string;
  resultDocumentSha256?: string;
  newDueAt?: string;
}

export interface HistoricalPlan extends BasePlan {
  submittedAt?: string;
  receivedAt: string;
  transitions: HistoricalTransition[];
  /** What the plan means to show: resolved on time or late, still open (maybe overdue), closed otherwise. */
  outcome: 'on-time' | 'late' | 'open' | 'open-overdue' | 'withdrawn' | 'stopped';
}

const SUPPLEMENT_REASONS = [
  'Thiếu bản sao giấy tờ tùy thân',
  'Tờ khai chưa đủ chữ ký',
  'Thiếu giấy tờ chứng minh nơi ở hợp pháp',
];
const WITHDRAW_REASONS = ['Công dân xin rút hồ sơ', 'Nộp nhầm thủ tục'];
const STOP_REASONS = ['Hồ sơ có dấu hiệu giả mạo giấy tờ'];
const REFUSE_REASONS = ['Hồ sơ không thuộc thẩm quyền giải quyết', 'Thành phần hồ sơ không đúng quy định'];
const PAYMENT_CHANNELS: readonly (readonly [string, number])[] = [
  ['cash', 0.5],
  ['online', 0.4],
  ['bank-transfer', 0.1],
];

/**
 * Generates plans. Units are dealt round-robin over a shuffled list, so every unit gets dossiers
 * once there are at least as many dossiers as units.
 */
export class WorkloadMix {
  private readonly unitOrder: string[];
  private readonly weights: (readonly [DemoProcedure, number])[];
  private readonly onlineWeights: (readonly [DemoProcedure, number])[];
  private readonly onlineShare: number;
  private dealt = 0;

  constructor(
    private readonly rng: SeededRandom,
    private readonly options: MixOptions,
  ) {
    if (options.units.length === 0) throw new RangeError('no units');
    if (options.procedures.length === 0) throw new RangeError('no procedures');
    this.unitOrder = rng.shuffle(options.units);
    this.weights = procedureWeights(options.procedures);
    this.onlineWeights = this.weights.filter(([p]) => p.onlineLevel !== 'none');
    this.onlineShare = this.onlineWeights.length > 0 ? onlineSubmissionShare() : 0;
  }

  private base(online: boolean, assigned?: Assignment): BasePlan {
    const index = this.dealt;
    this.dealt += 1;
    const procedure = this.rng.weighted(online ? this.onlineWeights : this.weights);
    const channel: DemoChannel = assigned?.channel ?? (online ? 'online' : this.rng.weighted(DESK_CHANNELS));
    return {
      index,
      unitCode: assigned?.unitCode ?? this.unitOrder[index % this.unitOrder.length]!,
      procedure,
      channel,
      digitised: online || this.rng.chance(0.6),
      applicant: makeApplicant(this.rng, this.options.now),
    };
  }

  /**
   * A dossier filed now and moved through its lifecycle during the run. With an `assigned` unit and
   * channel (the city-15-days plan), an online one is always accepted: the plan counts received
   * dossiers, and `refusedOnline()` adds the refused ones beside it.
   */
  live(assigned?: Assignment): LivePlan {
    const rng = this.rng;
    const online = assigned ? assigned.channel === 'online' : rng.chance(this.onlineShare);
    const base = this.base(online, assigned);
    const steps: LiveStep[] = [];
    const officer = (action: LiveStep['action'], body: Record<string, unknown> = {}) =>
      steps.push({ action, body, as: 'officer' });
    if (online && !assigned && rng.chance(ONLINE_REFUSAL_RATE)) {
      steps.push({ action: 'refuse', body: { reason: rng.pick(REFUSE_REASONS) }, as: 'officer' });
      return { ...base, outcome: 'refused', steps };
    }
    if (online) officer('accept');
    const outcome = rng.weighted(LIVE_OUTCOMES);
    return this.lifecycle(base, steps, outcome);
  }

  /** An online submission the unit refuses at intake (never received, so outside the plan's count). */
  refusedOnline(unitCode: string): LivePlan {
    const base = this.base(true, { unitCode, channel: 'online' });
    const reason = this.rng.pick(REFUSE_REASONS);
    return { ...base, outcome: 'refused', steps: [{ action: 'refuse', body: { reason }, as: 'officer' }] };
  }

  private lifecycle(base: BasePlan, steps: LiveStep[], outcome: (typeof LIVE_OUTCOMES)[number][0]): LivePlan {
    const rng = this.rng;
    const officer = (action: LiveStep['action'], body: Record<string, unknown> = {}) =>
      steps.push({ action, body, as: 'officer' });
    if (outcome === 'withdrawn') {
      if (rng.chance(0.5)) officer('start-processing');
      officer('withdraw', { reason: rng.pick(WITHDRAW_REASONS) });
      return { ...base, outcome, steps };
    }
    if (outcome === 'stopped') {
      officer('start-processing');
      steps.push({ action: 'stop', body: { reason: rng.pick(STOP_REASONS) }, as: 'unit-head' });
      return { ...base, outcome, steps };
    }
    if (outcome === 'in-progress') {
      // Still at the desk, in processing, or waiting for the citizen's supplement.
      const where = rng.weighted([
        ['received', 0.3],
        ['processing', 0.5],
        ['supplement', 0.2],
      ] as const);
      if (where !== 'received') officer('start-processing');
      if (where === 'supplement') officer('request-supplement', { reason: rng.pick(SUPPLEMENT_REASONS) });
      return { ...base, outcome, steps };
    }
    officer('start-processing');
    if (rng.chance(SUPPLEMENT_RATE)) {
      officer('request-supplement', { reason: rng.pick(SUPPLEMENT_REASONS) });
      officer('provide-supplement');
    }
    if (base.procedure.feeVnd > 0) {
      officer('request-payment');
      officer('record-payment', { paymentChannel: rng.weighted(PAYMENT_CHANNELS) });
    }
    officer('resolve', base.procedure.requiresSignature ? { resultDocumentSha256: rng.hex(64) } : {});
    if (outcome === 'returned') officer('return-result');
    return { ...base, outcome, steps };
  }

  /**
   * A dossier of a dissolved district system, received on a working day within the last `days`
   * days, with a timeline that ends before `now`: resolved on time (most) or late, still open
   * (some already overdue, with an apology), withdrawn or stopped.
   */
  historical(days = 13, assigned?: Assignment & { receivedAt: Date }): HistoricalPlan {
    const rng = this.rng;
    const now = this.options.now;
    const online = assigned ? assigned.channel === 'online' : rng.chance(ONLINE_SHARE_OF_RECEIVED);
    const base = this.base(online, assigned);
    let receivedAt: Date;
    if (assigned) receivedAt = assigned.receivedAt;
    else
      do {
        receivedAt = officeInstant(now, rng.int(1, days), rng.int(8 * 60, 16 * 60 + 30));
      } while (!isWorkingDay(receivedAt));
    const submittedAt = online
      ? new Date(receivedAt.getTime() - rng.between(0.2, 16) * 3_600_000)
      : undefined;
    const statutory = statutoryWorkingMinutes(base.procedure.statutoryTime);
    const approxDue = approximateDueAt(receivedAt, base.procedure.statutoryTime);
    const transitions: HistoricalTransition[] = [];
    let cursor = receivedAt;
    const later = (workingMinutes: number) =>
      (cursor = addWorkingMinutes(cursor, Math.max(1, workingMinutes)));
    const push = (action: string, extra: Omit<HistoricalTransition, 'action' | 'at'> = {}) =>
      transitions.push({ action, at: cursor.toISOString(), ...extra });

    const closing = rng.weighted([
      ['resolve', 0.95],
      ['withdrawn', 0.035],
      ['stopped', 0.015],
    ] as const);
    later(rng.between(10, 90));
    push('start-processing');
    if (closing !== 'resolve') {
      later(rng.between(30, statutory / 2));
      if (closing === 'withdrawn') push('withdraw', { reason: rng.pick(WITHDRAW_REASONS) });
      else push('stop', { reason: rng.pick(STOP_REASONS) });
      return this.finishHistorical(base, submittedAt, receivedAt, transitions, closing, approxDue);
    }
    const late = rng.chance(LATE_RATE);
    if (rng.chance(SUPPLEMENT_RATE)) {
      later(rng.between(20, Math.max(30, statutory / 3)));
      push('request-supplement', { reason: rng.pick(SUPPLEMENT_REASONS) });
      // The pause moves the due date later by as much; the plan's margin stays.
      const pause = rng.between(120, 2 * 480);
      later(pause);
      push('provide-supplement');
    }
    // Resolution: on time at 20–70% of the statutory time (after the pause), late 1–3 working days
    // after the (approximate, pause-shifted) due date.
    const pausedMinutes = transitions.some((t) => t.action === 'provide-supplement')
      ? workingMinutesBetweenRough(transitions)
      : 0;
    const dueShifted = addWorkingMinutes(approxDue, pausedMinutes);
    const resolveAt = late
      ? addWorkingMinutes(dueShifted, rng.between(480, 3 * 480))
      : addWorkingMinutes(receivedAt, statutory * rng.between(0.2, 0.7) + pausedMinutes);
    const openAt = (when: Date) => when.getTime() > now.getTime() - 60_000;
    if (base.procedure.feeVnd > 0) {
      cursor = new Date(Math.max(cursor.getTime(), resolveAt.getTime() - 3 * 3_600_000));
      later(1);
      if (openAt(cursor)) return this.openHistorical(base, submittedAt, receivedAt, transitions, dueShifted);
      push('request-payment');
      later(rng.between(10, 60));
      if (openAt(cursor)) return this.openHistorical(base, submittedAt, receivedAt, transitions, dueShifted);
      push('record-payment', { paymentChannel: rng.weighted(PAYMENT_CHANNELS) });
    }
    cursor = new Date(Math.max(cursor.getTime() + 60_000, resolveAt.getTime()));
    if (openAt(cursor)) return this.openHistorical(base, submittedAt, receivedAt, transitions, dueShifted);
    push('resolve', base.procedure.requiresSignature ? { resultDocumentSha256: rng.hex(64) } : {});
    // Collected from an hour to two working days later, unless still waiting; a signed result only
    // once signed, which the import cannot claim.
    later(rng.between(60, 2 * 480));
    if (!base.procedure.requiresSignature && !openAt(cursor) && rng.chance(0.92)) push('return-result');
    return this.finishHistorical(
      base,
      submittedAt,
      receivedAt,
      transitions,
      late ? 'late' : 'on-time',
      dueShifted,
    );
  }

  /** Stops a timeline that would reach into the future: still open now; past due → an apology. */
  private openHistorical(
    base: BasePlan,
    submittedAt: Date | undefined,
    receivedAt: Date,
    transitions: HistoricalTransition[],
    dueAt: Date,
  ): HistoricalPlan {
    const now = this.options.now;
    const cutoff = now.getTime() - 60_000;
    transitions = transitions.filter((t) => Date.parse(t.at) < cutoff);
    const overdue = now.getTime() > addWorkingMinutes(dueAt, 120).getTime();
    const last = transitions.at(-1);
    const lastAt = last ? new Date(last.at) : receivedAt;
    if (overdue && this.rng.chance(0.5)) {
      const apologyAt = new Date(Math.max(lastAt.getTime() + 60_000, addWorkingMinutes(dueAt, 60).getTime()));
      if (apologyAt.getTime() < now.getTime() - 60_000) {
        transitions.push({
          action: 'issue-apology',
          at: apologyAt.toISOString(),
          reason: 'Hồ sơ cần xác minh thêm',
          newDueAt: addWorkingMinutes(apologyAt, 3 * 480).toISOString(),
        });
      }
    }
    return this.planOf(base, submittedAt, receivedAt, transitions, overdue ? 'open-overdue' : 'open');
  }

  /**
   * A timeline that ran past `now` (a long pause, a late receipt) keeps only what already happened:
   * any prefix of a valid history is valid, and the dossier is simply still open.
   */
  private finishHistorical(
    base: BasePlan,
    submittedAt: Date | undefined,
    receivedAt: Date,
    transitions: HistoricalTransition[],
    outcome: HistoricalPlan['outcome'],
    dueAt: Date,
  ): HistoricalPlan {
    const cutoff = this.options.now.getTime() - 60_000;
    const happened = transitions.filter((t) => Date.parse(t.at) < cutoff);
    if (happened.length < transitions.length) {
      const closed = happened.some((t) => ['resolve', 'withdraw', 'stop'].includes(t.action));
      if (!closed) return this.openHistorical(base, submittedAt, receivedAt, happened, dueAt);
      return this.planOf(base, submittedAt, receivedAt, happened, outcome);
    }
    return this.planOf(base, submittedAt, receivedAt, transitions, outcome);
  }

  private planOf(
    base: BasePlan,
    submittedAt: Date | undefined,
    receivedAt: Date,
    transitions: HistoricalTransition[],
    outcome: HistoricalPlan['outcome'],
  ): HistoricalPlan {
    return {
      ...base,
      ...(submittedAt ? { submittedAt: submittedAt.toISOString() } : {}),
      receivedAt: receivedAt.toISOString(),
      transitions,
      outcome,
    };
  }
}

/** Office minutes between a supplement request and its provision in a plan (rough, for margins). */
function workingMinutesBetweenRough(transitions: readonly HistoricalTransition[]): number {
  const requested = transitions.find((t) => t.action === 'request-supplement');
  const provided = transitions.find((t) => t.action === 'provide-supplement');
  if (!requested || !provided) return 0;
  let minutes = 0;
  let cursor = new Date(requested.at);
  const end = new Date(provided.at).getTime();
  while (cursor.getTime() < end && minutes < 100_000) {
    const next = addWorkingMinutes(cursor, 30);
    if (next.getTime() > end) break;
    minutes += 30;
    cursor = next;
  }
  return minutes;
}
