import { OPEN_DOSSIER_STATUSES } from '@backbone/contracts';
import { BadRequestException, Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  applyUnitScope,
  type AuthenticatedUser,
  FieldCipher,
  SERVICE_CLIENT_REGISTRY,
  type ServiceClientRegistry,
  serviceClientUnits,
  unitScope,
} from '@backbone/platform';
import { DataSource, Repository, type SelectQueryBuilder } from 'typeorm';
import { fromVietnamLocal, toVietnamLocal, addDays } from '@backbone/calendar';
import { Dossier, DossierAttachment, DossierHistoryEntry } from '../database/dossier.entities';
import { dossierNotFound, dossierScopeWhere } from '../dossier/dossier-access';
import { dossierView } from '../dossier/dossier-view';
import type { DeskCountsQuery, ListDossiersQuery, StatsQuery } from './query-dossiers.dto';

/** The contracts' open statuses as an SQL list (fixed literals: nothing to escape). */
const ACTIVE_SQL = `(${OPEN_DOSSIER_STATUSES.map((status) => `'${status}'`).join(',')})`;
/** Overdue as isOverdue() computes it: open, past due; a pending supplement stops the clock at paused_at. */
export const OVERDUE_SQL = `(d.status IN ${ACTIVE_SQL} AND d.due_at < CASE WHEN d.status = 'supplement-requested' AND d.paused_at IS NOT NULL THEN LEAST(d.paused_at, now()) ELSE now() END)`;

const SORT_EXPRESSIONS = {
  received_at: { sql: 'COALESCE(d.received_at, d.submitted_at)', cast: 'timestamptz' },
  due_at: { sql: `COALESCE(d.due_at, 'infinity'::timestamptz)`, cast: 'timestamptz' },
  code: { sql: 'd.code', cast: 'text' },
} as const;

function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((v) => typeof v === 'string'))
      return parsed as [string, string];
  } catch {
    // fall through to the 400
  }
  throw new BadRequestException('cursor is not one this service issued');
}

function sortValueOf(dossier: Dossier, sort: keyof typeof SORT_EXPRESSIONS): string {
  if (sort === 'code') return dossier.code;
  if (sort === 'due_at') return dossier.dueAt ? dossier.dueAt.toISOString() : 'infinity';
  return (dossier.receivedAt ?? dossier.submittedAt)!.toISOString();
}

/** Staff reads: one dossier, lists with filters and keyset pagination, the desk's counts, period stats. */
@Injectable()
export class QueryDossiersHandler {
  constructor(
    @InjectRepository(Dossier) private readonly dossiers: Repository<Dossier>,
    @InjectRepository(DossierHistoryEntry) private readonly history: Repository<DossierHistoryEntry>,
    @InjectRepository(DossierAttachment) private readonly attachments: Repository<DossierAttachment>,
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    /** SERVICE_CLIENTS allow-lists: a client limited to some units reads their dossiers only. */
    @Optional()
    @Inject(SERVICE_CLIENT_REGISTRY)
    private readonly serviceClients?: ServiceClientRegistry,
  ) {}

  async byId(id: string, user: AuthenticatedUser) {
    return this.detailed(
      await this.dossiers.findOne({ where: { id, ...dossierScopeWhere(user, 'read', this.serviceClients) } }),
    );
  }

  async byCode(code: string, user: AuthenticatedUser) {
    return this.detailed(
      await this.dossiers.findOne({
        where: { code, ...dossierScopeWhere(user, 'read', this.serviceClients) },
      }),
    );
  }

  private async detailed(dossier: Dossier | null) {
    if (!dossier) throw dossierNotFound();
    const [history, attachments] = await Promise.all([
      this.history.find({ where: { dossierId: dossier.id }, order: { occurredAt: 'ASC', version: 'ASC' } }),
      this.attachments.find({ where: { dossierId: dossier.id } }),
    ]);
    return {
      ...dossierView(dossier, this.cipher),
      history: history.map((h) => ({
        action: h.action,
        from: h.fromStatus,
        to: h.toStatus,
        reason: h.reason,
        by: h.actorSubject,
        role: h.actorRole,
        at: h.occurredAt.toISOString(),
        version: h.version,
      })),
      attachments: attachments.map(({ name, mediaType, sizeBytes, sha256 }) => ({
        name,
        mediaType,
        sizeBytes,
        sha256,
      })),
    };
  }

  private scoped(user: AuthenticatedUser): SelectQueryBuilder<Dossier> {
    const query = this.dossiers.createQueryBuilder('d');
    if (!user.roles.includes('service')) return applyUnitScope(query, user, 'd.unit_code');
    const units = this.readableUnits(user);
    // An empty list matches nothing (ANY of an empty array), as applyUnitScope does for staff.
    return units === undefined
      ? query
      : query.andWhere('d.unit_code = ANY(:serviceClientUnits)', { serviceClientUnits: units });
  }

  /**
   * The units a caller reads, undefined for every unit: staff by their token (platform unit scope),
   * service clients by their SERVICE_CLIENTS entry (every unit unless it lists some).
   */
  private readableUnits(user: AuthenticatedUser): string[] | undefined {
    if (user.roles.includes('service')) {
      const units = serviceClientUnits(this.serviceClients, user);
      return units && [...units];
    }
    const scope = unitScope(user);
    return scope.allUnits ? undefined : scope.unitCodes;
  }

  async list(q: ListDossiersQuery, user: AuthenticatedUser) {
    const sort = q.sort ?? 'received_at';
    const order = q.order ?? 'desc';
    const limit = q.limit ?? 50;
    const expression = SORT_EXPRESSIONS[sort];
    const query = this.scoped(user);
    if (q.unit) query.andWhere('d.unit_code = :unit', { unit: q.unit });
    if (q.status) query.andWhere('d.status = :status', { status: q.status });
    if (q.procedure) query.andWhere('d.procedure_code = :procedure', { procedure: q.procedure });
    if (q.channel) query.andWhere('d.channel = :channel', { channel: q.channel });
    if (q.receivedFrom) query.andWhere('d.received_at >= :receivedFrom', { receivedFrom: q.receivedFrom });
    if (q.receivedTo) query.andWhere('d.received_at < :receivedTo', { receivedTo: q.receivedTo });
    if (q.dueFrom) query.andWhere('d.due_at >= :dueFrom', { dueFrom: q.dueFrom });
    if (q.dueTo) query.andWhere('d.due_at < :dueTo', { dueTo: q.dueTo });
    if (q.overdue !== undefined)
      query.andWhere(q.overdue ? OVERDUE_SQL : `NOT COALESCE(${OVERDUE_SQL}, false)`);
    if (q.cursor) {
      const [value, id] = decodeCursor(q.cursor);
      query.andWhere(
        `(${expression.sql}, d.id) ${order === 'asc' ? '>' : '<'} (CAST(:cursorValue AS ${expression.cast}), CAST(:cursorId AS uuid))`,
        { cursorValue: value, cursorId: id },
      );
    }
    const direction = order === 'asc' ? 'ASC' : 'DESC';
    const rows = await query
      .orderBy(expression.sql, direction)
      .addOrderBy('d.id', direction)
      .limit(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((d) => dossierView(d, this.cipher)),
      nextCursor: rows.length > limit && last ? encodeCursor(sortValueOf(last, sort), last.id) : null,
    };
  }

  /** The desk's day: per unit, what arrived, what was finished, what is open and what is late. */
  async deskCounts(q: DeskCountsQuery, user: AuthenticatedUser) {
    const day = q.date ?? toVietnamLocal(new Date()).date;
    const dayStart = fromVietnamLocal(day, 0);
    const dayEnd = fromVietnamLocal(addDays(day, 1), 0);
    const query = this.scoped(user)
      .select('d.unit_code', 'unitCode')
      .addSelect(
        `count(*) FILTER (WHERE d.received_at >= :dayStart AND d.received_at < :dayEnd)::int`,
        'receivedToday',
      )
      .addSelect(
        `count(*) FILTER (WHERE d.submitted_at >= :dayStart AND d.submitted_at < :dayEnd)::int`,
        'submittedOnlineToday',
      )
      .addSelect(
        `count(*) FILTER (WHERE d.resolved_at >= :dayStart AND d.resolved_at < :dayEnd)::int`,
        'resolvedToday',
      )
      .addSelect(
        `count(*) FILTER (WHERE d.returned_at >= :dayStart AND d.returned_at < :dayEnd)::int`,
        'returnedToday',
      )
      .addSelect(`count(*) FILTER (WHERE d.status = 'submitted-online')::int`, 'awaitingAcceptance')
      .addSelect(`count(*) FILTER (WHERE d.status IN ${ACTIVE_SQL})::int`, 'open')
      .addSelect(`count(*) FILTER (WHERE d.status = 'supplement-requested')::int`, 'awaitingSupplement')
      .addSelect(`count(*) FILTER (WHERE d.status = 'awaiting-payment')::int`, 'awaitingPayment')
      .addSelect(`count(*) FILTER (WHERE d.status = 'resolved')::int`, 'readyToReturn')
      .addSelect(`count(*) FILTER (WHERE ${OVERDUE_SQL})::int`, 'overdue')
      .addSelect(
        `count(*) FILTER (WHERE d.status IN ${ACTIVE_SQL} AND d.due_at >= now() AND d.due_at < :dayEnd)::int`,
        'dueToday',
      )
      .setParameters({ dayStart, dayEnd })
      .groupBy('d.unit_code')
      .orderBy('d.unit_code');
    if (q.unit) query.andWhere('d.unit_code = :unit', { unit: q.unit });
    return { date: day, units: await query.getRawMany() };
  }

  /**
   * Per-unit counts of what happened in [from, to): the reporting service reconciles its
   * projections against this.
   */
  async stats(q: StatsQuery, user: AuthenticatedUser) {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (!(from < to)) throw new BadRequestException('from must be before to');
    const params: unknown[] = [from, to];
    let where = '';
    if (q.unit) {
      params.push(q.unit);
      where += ` AND unit_code = $${params.length}`;
    }
    const limitedTo = this.readableUnits(user);
    if (limitedTo) {
      params.push(limitedTo);
      where += ` AND unit_code = ANY($${params.length}::text[])`;
    }
    const rows = await this.dataSource.query(
      `SELECT unit_code AS "unitCode",
        count(*) FILTER (WHERE submitted_at >= $1 AND submitted_at < $2)::int AS "submittedOnline",
        count(*) FILTER (WHERE received_at >= $1 AND received_at < $2)::int AS "received",
        count(*) FILTER (WHERE received_at >= $1 AND received_at < $2 AND channel = 'online')::int AS "receivedOnline",
        count(*) FILTER (WHERE received_at >= $1 AND received_at < $2 AND digitised)::int AS "receivedDigitised",
        count(*) FILTER (WHERE resolved_at >= $1 AND resolved_at < $2)::int AS "resolved",
        count(*) FILTER (WHERE resolved_at >= $1 AND resolved_at < $2 AND resolved_at <= due_at)::int AS "resolvedOnTime",
        count(*) FILTER (WHERE returned_at >= $1 AND returned_at < $2)::int AS "resultReturned",
        count(*) FILTER (WHERE closed_at >= $1 AND closed_at < $2 AND status = 'refused-at-intake')::int AS "refusedAtIntake",
        count(*) FILTER (WHERE closed_at >= $1 AND closed_at < $2 AND status = 'withdrawn')::int AS "withdrawn",
        count(*) FILTER (WHERE closed_at >= $1 AND closed_at < $2 AND status = 'stopped')::int AS "stopped",
        count(*) FILTER (WHERE paid_at >= $1 AND paid_at < $2)::int AS "feePaid"
       FROM dossiers
       WHERE (submitted_at < $2 OR received_at < $2) ${where}
       GROUP BY unit_code ORDER BY unit_code`,
      params,
    );
    return { from: from.toISOString(), to: to.toISOString(), units: rows };
  }
}
