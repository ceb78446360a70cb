import { HttpStatus, Injectable } from '@nestjs/common';
import { hanoiDayCount, nextHanoiDay, startOfHanoiDay } from '@backbone/calendar';
import {
  type AuthenticatedUser,
  FieldCipher,
  TypedProblemException,
  unitScope,
  ValidationProblemException,
} from '@backbone/platform';
import { DataSource } from 'typeorm';
import { Report, ReportHistoryEntry } from '../report/report.entity';
import { historyView, reportView } from '../report/report-view';
import type { ListReportsQuery, StatsQuery } from './query-reports.dto';

/** The widest stats period: a year of Hanoi days. */
const MAX_STATS_DAYS = 366;

/** Hotline agents, city admins and auditors see every unit; unit staff their own. */
export function readsAllUnits(user: AuthenticatedUser): boolean {
  return user.roles.includes('hotline-agent') || unitScope(user, 'read').allUnits;
}

export interface UnitStats {
  unitCode: string;
  callsReceived: number;
  reportsSubmitted: number;
  acceptedWithinSla: number;
  acceptedOutsideSla: number;
  answeredWithinSla: number;
  answeredOutsideSla: number;
  appAccountsRegistered: number;
}

@Injectable()
export class QueryReportsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  async list(query: ListReportsQuery, user: AuthenticatedUser) {
    const builder = this.dataSource.getRepository(Report).createQueryBuilder('r');
    if (!readsAllUnits(user)) {
      const units = unitScope(user, 'read');
      const codes = units.allUnits ? [] : units.unitCodes;
      if (codes.length === 0) builder.andWhere('FALSE');
      else builder.andWhere('r.unit_code IN (:...codes)', { codes });
    }
    if (query.status) builder.andWhere('r.status = :status', { status: query.status });
    if (query.channel) builder.andWhere('r.channel = :channel', { channel: query.channel });
    if (query.unitCode) builder.andWhere('r.unit_code = :unit', { unit: query.unitCode });
    if (query.from) builder.andWhere('r.submitted_at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('r.submitted_at < :to', { to: new Date(query.to) });
    const [rows, total] = await builder
      .orderBy('r.submitted_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(query.limit ?? 50)
      .skip(query.offset ?? 0)
      .getManyAndCount();
    return { total, reports: rows.map((row) => reportView(row, this.cipher)) };
  }

  async one(id: string, user: AuthenticatedUser) {
    const report = await this.visible(id, user);
    const primary = report.duplicateOf
      ? await this.dataSource.getRepository(Report).findOneBy({ id: report.duplicateOf })
      : null;
    const view = reportView(report, this.cipher);
    // A linked duplicate's reporter gets the open report's answer.
    if (primary)
      return {
        ...view,
        answer: primary.answerText,
        answeredAt: primary.answeredAt?.toISOString() ?? null,
        primaryStatus: primary.status,
      };
    return view;
  }

  async history(id: string, user: AuthenticatedUser) {
    await this.visible(id, user);
    const entries = await this.dataSource
      .getRepository(ReportHistoryEntry)
      .find({ where: { reportId: id }, order: { sequence: 'ASC' } });
    return { reportId: id, history: entries.map(historyView) };
  }

  private async visible(id: string, user: AuthenticatedUser): Promise<Report> {
    const report = await this.dataSource.getRepository(Report).findOneBy({ id });
    const scope = unitScope(user, 'read');
    if (!report || (!readsAllUnits(user) && !(scope.allUnits || scope.unitCodes.includes(report.unitCode))))
      throw new TypedProblemException(
        'urn:backbone:problem:not-found',
        HttpStatus.NOT_FOUND,
        `No report ${id}`,
      );
    return report;
  }

  /**
   * Per unit, for Hanoi days from..to, each count by the same business time and unit as the event
   * reporting folds: calls by start (call.received.v1's receivedAt) under the centre's unit;
   * reports submitted, accepted and answered (within or outside the SLA) from the history, by the
   * step's time and the unit its event was published for; app accounts by registration.
   */
  async stats(query: StatsQuery): Promise<{ from: string; to: string; units: UnitStats[] }> {
    if (query.from > query.to || hanoiDayCount(query.from, query.to) > MAX_STATS_DAYS)
      throw new ValidationProblemException([
        { field: 'to', reason: `must be on or after from, at most ${MAX_STATS_DAYS} days` },
      ]);
    const from = startOfHanoiDay(query.from);
    const to = startOfHanoiDay(nextHanoiDay(query.to));
    const unit = query.unit ?? null;
    const rows: { unit_code: string; metric: string; n: number }[] = await this.dataSource.query(
      `SELECT unit_code, 'callsReceived' AS metric, count(*)::int AS n FROM calls
         WHERE started_at >= $1 AND started_at < $2 AND ($3::text IS NULL OR unit_code = $3) GROUP BY unit_code
       UNION ALL
       SELECT unit_code, 'appAccountsRegistered', count(*)::int FROM app_accounts
         WHERE registered_at >= $1 AND registered_at < $2 AND ($3::text IS NULL OR unit_code = $3) GROUP BY unit_code
       UNION ALL
       SELECT unit_code,
              CASE event_type
                WHEN 'report.submitted.v1' THEN 'reportsSubmitted'
                WHEN 'report.accepted.v1' THEN CASE WHEN within_sla THEN 'acceptedWithinSla' ELSE 'acceptedOutsideSla' END
                ELSE CASE WHEN within_sla THEN 'answeredWithinSla' ELSE 'answeredOutsideSla' END
              END,
              count(*)::int
         FROM report_history
         WHERE event_type IN ('report.submitted.v1', 'report.accepted.v1', 'report.answered.v1')
           AND at >= $1 AND at < $2 AND ($3::text IS NULL OR unit_code = $3)
         GROUP BY 1, 2`,
      [from, to, unit],
    );
    const byUnit = new Map<string, UnitStats>();
    for (const row of rows) {
      const stats = byUnit.get(row.unit_code) ?? {
        unitCode: row.unit_code,
        callsReceived: 0,
        reportsSubmitted: 0,
        acceptedWithinSla: 0,
        acceptedOutsideSla: 0,
        answeredWithinSla: 0,
        answeredOutsideSla: 0,
        appAccountsRegistered: 0,
      };
      stats[row.metric as Exclude<keyof UnitStats, 'unitCode'>] += row.n;
      byUnit.set(row.unit_code, stats);
    }
    return {
      from: query.from,
      to: query.to,
      units: [...byUnit.values()].sort((a, b) => a.unitCode.localeCompare(b.unitCode)),
    };
  }
}
