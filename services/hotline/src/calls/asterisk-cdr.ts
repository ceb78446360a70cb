import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { fromVietnamLocal, isLocalDate, parseClock } from '@backbone/calendar';
import type { CallDisposition } from './call.entity';

/**
 * Asterisk's CDR CSV (cdr_csv, `Master.csv`): no header row, one call leg per line, in this column
 * order (Asterisk documentation "CDR fields"; `uniqueid` and `userfield` are present when the
 * module logs them, as the city's PBX does):
 *
 *  #  column       used as
 *  1  accountcode  —
 *  2  src          the caller's number (encrypted at rest, pseudonymised in events)
 *  3  dst          the line dialled (1022)
 *  4  dcontext     —
 *  5  clid         NOT read: it may carry the caller's name
 *  6  channel      —  (the caller's channel; part of the fallback id)
 *  7  dstchannel   the agent, e.g. `PJSIP/agent-1012-0000002a` → `agent-1012`
 *  8  lastapp      `Queue` (its first argument is the queue), `VoiceMail`, `Transfer`/`BlindTransfer`
 *  9  lastdata     the queue name (first comma-separated argument of Queue)
 * 10  start        `YYYY-MM-DD HH:MM:SS`, the PBX's local time (Asia/Ho_Chi_Minh) unless `usegmtime`
 * 11  answer       when answered (empty if never)
 * 12  end          when it ended
 * 13  duration     seconds from start to end
 * 14  billsec      seconds from answer to end
 * 15  disposition  ANSWERED | NO ANSWER | BUSY | FAILED | CONGESTION
 * 16  amaflags     —
 * 17  uniqueid     the PBX's id of the call: importing the same file twice adds nothing
 * 18  userfield    `transferred` when the dialplan set it on a transfer
 *
 * Disposition: ANSWERED ends as `answered`, or `voicemail` when lastapp is VoiceMail, or
 * `transferred` when lastapp is (Blind)Transfer or userfield says so; anything else is `abandoned`.
 */
export const CDR_COLUMNS = [
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
  'uniqueid',
  'userfield',
] as const;

/** One call as the PBX recorded it, whatever the source (CDR line or webhook). */
export interface PbxCallRecord {
  uniqueId: string;
  callerNumber: string;
  line: string;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date;
  durationSeconds: number;
  billableSeconds: number;
  queue: string | null;
  agent: string | null;
  disposition: CallDisposition;
}

export interface CdrProblem {
  line: number;
  reason: string;
}

/** The file's lines at most: a month of a busy centre; more is split by the PBX's rotation. */
export const MAX_CDR_LINES = 50_000;

export interface CdrOptions {
  /** `local` (Asia/Ho_Chi_Minh, Asterisk's default) or `utc` (usegmtime=yes). */
  timeZone: 'local' | 'utc';
}

/** Parses a Master.csv text into call records, or the problems of each bad line (nothing is imported then). */
export function parseAsteriskCdr(
  text: string,
  options: CdrOptions = { timeZone: 'local' },
): { records: PbxCallRecord[]; problems: CdrProblem[] } {
  const problems: CdrProblem[] = [];
  let rows: string[][];
  try {
    rows = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      to_line: MAX_CDR_LINES + 1,
    }) as string[][];
  } catch (error) {
    // Not CSV at all (a stray quote, ...): the line csv-parse stopped at.
    const line = (error as { lines?: number }).lines ?? 0;
    problems.push({ line, reason: `not CSV: ${error instanceof Error ? error.message : String(error)}` });
    return { records: [], problems };
  }
  if (rows.length > MAX_CDR_LINES) {
    problems.push({ line: MAX_CDR_LINES + 1, reason: `a file holds at most ${MAX_CDR_LINES} lines` });
    return { records: [], problems };
  }
  const records: PbxCallRecord[] = [];
  rows.forEach((row, index) => {
    const lineNumber = index + 1;
    const field = (name: (typeof CDR_COLUMNS)[number]) => row[CDR_COLUMNS.indexOf(name)] ?? '';
    if (row.length < 15) {
      problems.push({ line: lineNumber, reason: `has ${row.length} columns, needs at least 15` });
      return;
    }
    const startedAt = cdrTime(field('start'), options);
    const endedAt = cdrTime(field('end'), options);
    const answeredAt = field('answer') ? cdrTime(field('answer'), options) : null;
    const duration = Number(field('duration'));
    const billsec = Number(field('billsec'));
    const reasons: string[] = [];
    if (!startedAt) reasons.push('start is not YYYY-MM-DD HH:MM:SS');
    if (!endedAt) reasons.push('end is not YYYY-MM-DD HH:MM:SS');
    if (answeredAt === undefined) reasons.push('answer is not YYYY-MM-DD HH:MM:SS');
    if (!Number.isInteger(duration) || duration < 0 || duration > 86_400)
      reasons.push('duration is not 0–86400 seconds');
    if (!Number.isInteger(billsec) || billsec < 0 || billsec > 86_400)
      reasons.push('billsec is not 0–86400 seconds');
    if (!field('src') || field('src').length > 32) reasons.push('src (the caller) is missing or too long');
    if (field('dst').length > 32) reasons.push('dst is too long');
    if (reasons.length > 0) {
      problems.push({ line: lineNumber, reason: reasons.join('; ') });
      return;
    }
    const uniqueId =
      field('uniqueid') ||
      // No uniqueid logged: the same line still gives the same id, so a re-import adds nothing.
      `cdr-${createHash('sha256')
        .update(`${field('channel')}|${field('start')}|${field('src')}`)
        .digest('hex')
        .slice(0, 32)}`;
    records.push({
      uniqueId: uniqueId.slice(0, 100),
      callerNumber: field('src'),
      line: field('dst') || '1022',
      startedAt: startedAt!,
      answeredAt: answeredAt ?? null,
      endedAt: endedAt!,
      durationSeconds: duration,
      billableSeconds: billsec,
      queue: queueOf(field('lastapp'), field('lastdata')),
      agent: agentOf(field('dstchannel')),
      disposition: dispositionOf(field('disposition'), field('lastapp'), field('userfield')),
    });
  });
  return { records: problems.length > 0 ? [] : records, problems };
}

const CDR_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** A CDR time as an instant; undefined when malformed (empty is handled by the caller). */
function cdrTime(value: string, options: CdrOptions): Date | undefined {
  const match = CDR_TIME.exec(value);
  if (!match || !isLocalDate(match[1]!)) return undefined;
  const [, day, hours, minutes, seconds] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  if (options.timeZone === 'utc') return new Date(`${day}T${hours}:${minutes}:${seconds}Z`);
  const minuteOfDay = parseClock(`${hours}:${minutes}`);
  return new Date(fromVietnamLocal(day!, minuteOfDay).getTime() + Number(seconds) * 1000);
}

function queueOf(lastapp: string, lastdata: string): string | null {
  if (lastapp.toLowerCase() !== 'queue') return null;
  const queue = lastdata.split(',')[0]?.trim();
  return queue ? queue.slice(0, 64) : null;
}

/** `PJSIP/agent-1012-0000002a` → `agent-1012`; `SIP/1012-00000001` → `1012`. */
export function agentOf(dstchannel: string): string | null {
  const match = /^[A-Za-z0-9]+\/(.+?)-[0-9a-f]{8}$/.exec(dstchannel);
  const agent = match ? match[1]! : dstchannel.split('/')[1];
  return agent ? agent.slice(0, 64) : null;
}

export function dispositionOf(disposition: string, lastapp: string, userfield: string): CallDisposition {
  if (disposition.toUpperCase() !== 'ANSWERED') return 'abandoned';
  const app = lastapp.toLowerCase();
  if (app === 'voicemail') return 'voicemail';
  if (app === 'transfer' || app === 'blindtransfer' || userfield.toLowerCase() === 'transferred')
    return 'transferred';
  return 'answered';
}
