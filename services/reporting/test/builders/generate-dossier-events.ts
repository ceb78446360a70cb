import { hanoiDayOf } from '@backbone/calendar';
import {
  buildEvent,
  type CloudEvent,
  DossierApologyIssuedV1,
  DossierFeePaidV1,
  DossierOverdueV1,
  DossierPaymentRequestedV1,
  DossierProcessingStartedV1,
  DossierReceivedV1,
  DossierRefusedAtIntakeV1,
  DossierResolvedV1,
  DossierResultReturnedV1,
  DossierStoppedV1,
  DossierSubmittedOnlineV1,
  DossierSupplementProvidedV1,
  DossierSupplementRequestedV1,
  DossierWithdrawnV1,
  type EventClass,
  uuidv7,
} from '@backbone/contracts';

/*
 * Realistic dossier event streams for tests and benchmarks: per dossier a lifecycle in sequence
 * order (submitted online → received | refused → processing ⇄ supplement → payment → resolved →
 * returned, or withdrawn / stopped / still in progress), with the city's mix (14 % online, most
 * resolved on time, some late with an overdue event and an apology). Deterministic for a seed,
 * except event and dossier ids.
 */

interface ProcedureProfile {
  code: string;
  field: string;
  level: 'commune' | 'city';
  online: 'full' | 'partial' | 'none';
  hours: number;
  feeVnd: number;
  weight: number;
}

export const PROCEDURE_MIX: readonly ProcedureProfile[] = [
  { code: '1.001193', field: 'Hộ tịch', level: 'commune', online: 'full', hours: 8, feeVnd: 0, weight: 22 },
  {
    code: '2.000635',
    field: 'Hộ tịch',
    level: 'commune',
    online: 'full',
    hours: 24,
    feeVnd: 8000,
    weight: 14,
  },
  {
    code: '1.000894',
    field: 'Chứng thực',
    level: 'commune',
    online: 'partial',
    hours: 8,
    feeVnd: 2000,
    weight: 18,
  },
  {
    code: '1.004227',
    field: 'Đất đai',
    level: 'commune',
    online: 'partial',
    hours: 120,
    feeVnd: 50000,
    weight: 8,
  },
  {
    code: '1.010007',
    field: 'Xây dựng',
    level: 'commune',
    online: 'partial',
    hours: 160,
    feeVnd: 75000,
    weight: 6,
  },
  {
    code: '2.001023',
    field: 'Bảo trợ xã hội',
    level: 'commune',
    online: 'none',
    hours: 56,
    feeVnd: 0,
    weight: 9,
  },
  {
    code: '1.003608',
    field: 'Hộ kinh doanh',
    level: 'commune',
    online: 'full',
    hours: 24,
    feeVnd: 100000,
    weight: 7,
  },
  {
    code: '1.001612',
    field: 'Người có công',
    level: 'commune',
    online: 'none',
    hours: 96,
    feeVnd: 0,
    weight: 5,
  },
  {
    code: '2.002163',
    field: 'Tài nguyên môi trường',
    level: 'city',
    online: 'partial',
    hours: 240,
    feeVnd: 0,
    weight: 4,
  },
  { code: '1.000775', field: 'Giáo dục', level: 'commune', online: 'none', hours: 40, feeVnd: 0, weight: 7 },
];

export interface GenerateOptions {
  /** Exactly this many events (the last dossiers may stop mid-lifecycle: still in progress). */
  targetEvents: number;
  unitCodes: readonly string[];
  seed?: number;
  /** First Ho Chi Minh day of receptions. */
  startDay?: string;
  days?: number;
  /** Share of dossiers whose events are delivered after everything else (late, out of order). */
  lateShare?: number;
}

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const pseudonym = (random: () => number) =>
  Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
const iso = (millis: number) => new Date(millis).toISOString();

export function generateDossierEvents(options: GenerateOptions): CloudEvent[] {
  const random = seededRandom(options.seed ?? 42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const totalWeight = PROCEDURE_MIX.reduce((sum, p) => sum + p.weight, 0);
  const pickProcedure = () => {
    let r = random() * totalWeight;
    for (const procedure of PROCEDURE_MIX) if ((r -= procedure.weight) < 0) return procedure;
    return PROCEDURE_MIX[0]!;
  };
  // 07:30 in Hanoi is 00:30 UTC.
  const start = Date.parse(`${options.startDay ?? '2025-07-01'}T00:30:00Z`);
  const days = options.days ?? 15;
  const dailySequence = new Map<string, number>();

  const onTime: CloudEvent[][] = [];
  const late: CloudEvent[][] = [];
  let total = 0;
  while (total < options.targetEvents) {
    const unitcode = pick(options.unitCodes);
    const procedure = pickProcedure();
    const dossierId = uuidv7();
    const events: CloudEvent[] = [];
    const emit = <T extends object>(eventClass: EventClass<T>, at: number, data: T) =>
      events.push(
        buildEvent(eventClass, {
          subject: dossierId,
          unitcode,
          sequence: events.length + 1,
          time: new Date(at),
          data,
        }),
      );

    const receivedAtMs = start + Math.floor(random() * days) * 24 * HOUR + Math.floor(random() * 9 * HOUR);
    const day = hanoiDayOf(receivedAtMs).slice(2).replace(/-/g, '');
    const sequenceKey = `${unitcode}-${day}`;
    const nth = (dailySequence.get(sequenceKey) ?? 0) + 1;
    dailySequence.set(sequenceKey, nth);
    const dossierCode = `000.00.${unitcode.slice(2)}.H26-${day}-${String(nth % 10000).padStart(4, '0')}`;

    const roll = random();
    const channel =
      procedure.online !== 'none' && roll < 0.18
        ? 'online'
        : roll < 0.24
          ? 'agent'
          : roll < 0.27
            ? 'postal'
            : 'direct';
    const onlineLevel = procedure.online;
    if (channel === 'online') {
      emit(DossierSubmittedOnlineV1, receivedAtMs - 2 * HOUR, {
        dossierId,
        dossierCode,
        procedureCode: procedure.code,
        onlineLevel: procedure.online as 'full' | 'partial',
        submittedAt: iso(receivedAtMs - 2 * HOUR),
        applicantPseudonym: pseudonym(random),
      });
    }
    if (random() < 0.03) {
      emit(DossierRefusedAtIntakeV1, receivedAtMs, {
        dossierId,
        dossierCode,
        procedureCode: procedure.code,
        channel,
        refusedAt: iso(receivedAtMs),
        reason: 'Thiếu giấy tờ bắt buộc',
      });
    } else {
      let dueAtMs = receivedAtMs + procedure.hours * 3 * HOUR;
      emit(DossierReceivedV1, receivedAtMs, {
        dossierId,
        dossierCode,
        procedureCode: procedure.code,
        procedureLevel: procedure.level,
        field: procedure.field,
        channel,
        onlineLevel,
        receivedAt: iso(receivedAtMs),
        dueAt: iso(dueAtMs),
        statutoryWorkingHours: procedure.hours,
        digitised: random() < 0.7,
        feeVnd: procedure.feeVnd,
        requiresSignature: false,
        applicantPseudonym: pseudonym(random),
      });
      let now = receivedAtMs + Math.floor(random() * 2 * HOUR) + MINUTE;
      emit(DossierProcessingStartedV1, now, { dossierId, startedAt: iso(now) });
      let pausedMinutes = 0;
      const fate = random();
      if (fate < 0.02) {
        now += 5 * HOUR;
        emit(DossierWithdrawnV1, now, { dossierId, withdrawnAt: iso(now), reason: 'Công dân rút hồ sơ' });
      } else if (fate < 0.03) {
        now += 6 * HOUR;
        emit(DossierStoppedV1, now, { dossierId, stoppedAt: iso(now), reason: 'Không đủ điều kiện' });
      } else if (fate < 0.1) {
        // Still in progress: some already overdue.
        if (random() < 0.4) {
          emit(DossierOverdueV1, dueAtMs + MINUTE, {
            dossierId,
            dossierCode,
            procedureCode: procedure.code,
            dueAt: iso(dueAtMs),
            detectedAt: iso(dueAtMs + MINUTE),
          });
        }
      } else {
        if (random() < 0.12) {
          now += 3 * HOUR;
          emit(DossierSupplementRequestedV1, now, {
            dossierId,
            requestedAt: iso(now),
            reason: 'Bổ sung bản sao',
          });
          pausedMinutes = 60 * (4 + Math.floor(random() * 20));
          now += pausedMinutes * MINUTE;
          dueAtMs += pausedMinutes * MINUTE;
          emit(DossierSupplementProvidedV1, now, {
            dossierId,
            providedAt: iso(now),
            pausedWorkingMinutes: pausedMinutes,
            newDueAt: iso(dueAtMs),
          });
        }
        if (procedure.feeVnd > 0) {
          now += 30 * MINUTE;
          emit(DossierPaymentRequestedV1, now, {
            dossierId,
            amountVnd: procedure.feeVnd,
            requestedAt: iso(now),
          });
          now += 2 * HOUR;
          emit(DossierFeePaidV1, now, {
            dossierId,
            amountVnd: procedure.feeVnd,
            paidAt: iso(now),
            paymentChannel: channel === 'online' ? 'online' : random() < 0.5 ? 'cash' : 'bank-transfer',
          });
        }
        const isLate = random() < 0.08;
        const budget = Math.max(HOUR, dueAtMs - now);
        let resolvedAtMs = isLate
          ? dueAtMs + HOUR + Math.floor(random() * 48 * HOUR)
          : now + Math.floor(random() * budget);
        if (isLate) {
          emit(DossierOverdueV1, dueAtMs + MINUTE, {
            dossierId,
            dossierCode,
            procedureCode: procedure.code,
            dueAt: iso(dueAtMs),
            detectedAt: iso(dueAtMs + MINUTE),
          });
          const newDue = dueAtMs + 72 * HOUR;
          emit(DossierApologyIssuedV1, dueAtMs + 2 * MINUTE, {
            dossierId,
            issuedAt: iso(dueAtMs + 2 * MINUTE),
            previousDueAt: iso(dueAtMs),
            newDueAt: iso(newDue),
            reason: 'Cần xác minh thêm',
          });
          resolvedAtMs = Math.max(resolvedAtMs, dueAtMs + 3 * MINUTE);
        }
        emit(DossierResolvedV1, resolvedAtMs, {
          dossierId,
          dossierCode,
          procedureCode: procedure.code,
          channel,
          receivedAt: iso(receivedAtMs),
          resolvedAt: iso(resolvedAtMs),
          dueAt: iso(dueAtMs),
          onTime: resolvedAtMs <= dueAtMs,
          // About a third of elapsed time falls in working hours.
          workingMinutesTaken: Math.max(
            0,
            Math.round((resolvedAtMs - receivedAtMs) / MINUTE / 3 - pausedMinutes),
          ),
          requiresSignature: false,
        });
        if (random() < 0.9) {
          const returnedAt = resolvedAtMs + Math.floor(random() * 24 * HOUR);
          emit(DossierResultReturnedV1, returnedAt, { dossierId, returnedAt: iso(returnedAt) });
        }
      }
    }
    const kept = events.slice(0, options.targetEvents - total);
    total += kept.length;
    (random() < (options.lateShare ?? 0.03) ? late : onTime).push(kept);
  }
  // Stream order: by event time across dossiers (each dossier's own order kept), then the late ones.
  const byTime = onTime.flat().sort((a, b) => a.time.localeCompare(b.time) || a.sequence - b.sequence);
  const inOrder = reorderPerSubject(byTime);
  return [...inOrder, ...late.flat()];
}

/** Sorting by time could swap two events of one dossier with equal times: restore sequence order per subject. */
function reorderPerSubject(events: CloudEvent[]): CloudEvent[] {
  const next = new Map<string, CloudEvent[]>();
  for (const event of [...events].sort((a, b) => a.sequence - b.sequence)) {
    const list = next.get(event.subject);
    if (list) list.push(event);
    else next.set(event.subject, [event]);
  }
  return events.map((event) => next.get(event.subject)!.shift()!);
}

/** Copies of `share` of the events inserted again later in the stream (same id and payload): the duplicates a producer retry makes. */
export function withDuplicates(events: readonly CloudEvent[], share: number, seed = 7): CloudEvent[] {
  const random = seededRandom(seed);
  const result: CloudEvent[] = [];
  const pending: CloudEvent[] = [];
  for (const event of events) {
    result.push(event);
    if (random() < share) pending.push(event);
    // Re-emit soon after, still in the same subject order position relative to the original.
    if (pending.length > 0 && random() < 0.5) result.push(pending.shift()!);
  }
  result.push(...pending);
  return result;
}
