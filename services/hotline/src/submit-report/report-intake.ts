import { HttpStatus, Injectable } from '@nestjs/common';
import { hanoiDayOf } from '@backbone/calendar';
import { uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import {
  AuditTrail,
  BlindIndex,
  FieldCipher,
  Pseudonymizer,
  TypedProblemException,
  ValidationProblemException,
} from '@backbone/platform';
import { distance } from '@turf/distance';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { HotlineConfig } from '../config';
import { identityOf, normalisePhone, PII_CONTEXT } from '../personal-data/personal-data';
import { OPEN_REPORT_STATUSES, type ReportEventDraft, type StepActor } from '../report/report-lifecycle';
import { numberReportEvents } from '../report/report-events';
import { acceptanceDeadline } from '../report/report-sla';
import { Report } from '../report/report.entity';
import { reportView, type ReportView } from '../report/report-view';
import { RoutingService } from '../routing/routing.service';
import { normaliseAddress } from '../routing/vietnamese-text';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { WorkingCalendarService } from '../working-calendar/working-calendar.service';
import type { SubmitReportDto } from './submit-report.dto';

/** How far back a channel may date a report it relays. */
const MAX_BACKDATE_MS = 30 * 24 * 3600_000;
const MAX_FUTURE_MS = 5 * 60_000;
/** Degrees of latitude per metre (longitude: divided by cos(lat)), for the candidate box. */
const DEGREES_PER_METRE = 1 / 111_320;

export interface IntakeOptions {
  actor: StepActor;
  /** The 1022 call the report comes from (an agent's report from a call). */
  callId?: string;
  /** Agents must choose a unit the place does not name; channels leave it to the centre. */
  unitRequired: boolean;
}

/**
 * Intake of a citizen report from any channel: the category in force, routing to the responsible
 * unit (boundary, address, former name, the agent's choice; outside Hanoi refused with the reason),
 * duplicate linking, the reporter's contact encrypted and pseudonymised. One transaction writes the
 * report, its history, its events (outbox), the audit record and the call's link.
 */
@Injectable()
export class ReportIntake {
  constructor(
    private readonly dataSource: DataSource,
    private readonly taxonomy: TaxonomyService,
    private readonly calendar: WorkingCalendarService,
    private readonly routing: RoutingService,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly auditTrail: AuditTrail,
    private readonly config: HotlineConfig,
  ) {}

  async submit(input: SubmitReportDto, options: IntakeOptions): Promise<ReportView> {
    const now = new Date();
    const submittedAt = this.submittedAt(input.submittedAt, now);
    const category = await this.taxonomy.categoryOn(input.categoryCode, hanoiDayOf(submittedAt));
    if (!category)
      throw new ValidationProblemException([
        {
          field: 'categoryCode',
          reason: `${input.categoryCode} is not a category in force on ${hanoiDayOf(submittedAt)}`,
        },
      ]);
    const routing = this.routing.route({
      address: input.location.address,
      lat: input.location.lat,
      long: input.location.long,
      chosenUnitCode: input.unitCode,
    });
    if (routing.kind === 'outside-hanoi')
      throw new TypedProblemException(
        'urn:backbone:problem:report-outside-hanoi',
        HttpStatus.UNPROCESSABLE_ENTITY,
        `Refused: ${routing.reason}. The 1022 hotline and iHanoi take reports about places in Hanoi only`,
      );
    if (routing.kind === 'unresolved' && options.unitRequired)
      throw new TypedProblemException(
        'urn:backbone:problem:report-unit-required',
        HttpStatus.UNPROCESSABLE_ENTITY,
        `Choose the responsible unit (unitCode): ${routing.reason}`,
      );
    if ((input.location.lat === undefined) !== (input.location.long === undefined))
      throw new ValidationProblemException([{ field: 'location', reason: 'lat and long go together' }]);
    if (!input.location.address && input.location.lat === undefined)
      throw new ValidationProblemException([
        { field: 'location', reason: 'needs an address or coordinates' },
      ]);

    const rules = await this.calendar.rules();
    const reporter = input.reporter ?? {};
    const phone = reporter.phone ? normalisePhone(reporter.phone) : undefined;
    const report: Report = Object.assign(new Report(), {
      id: uuidv7(),
      publicToken: uuidv7(),
      channel: input.channel,
      categoryCode: category.code,
      category: category.group,
      level: input.level ?? 'normal',
      status: 'received' as const,
      unitCode: routing.kind === 'routed' ? routing.unitCode : this.config.HOTLINE_CITY_UNIT_CODE,
      routedBy: routing.kind === 'routed' ? routing.method : 'hotline-centre',
      description: input.description.trim(),
      locationAddress: input.location.address?.trim() || null,
      locationNormalised: input.location.address ? normaliseAddress(input.location.address) || null : null,
      lat: input.location.lat ?? null,
      long: input.location.long ?? null,
      media: (input.media ?? []).map((m) => ({ ...m })),
      reporterNameCipher: reporter.name ? this.cipher.encrypt(reporter.name, PII_CONTEXT.reporterName) : null,
      reporterPhoneCipher: phone ? this.cipher.encrypt(phone, PII_CONTEXT.reporterPhone) : null,
      reporterPhoneIndex: phone ? this.blindIndex.compute(phone, PII_CONTEXT.reporterPhone) : null,
      reporterEmailCipher: reporter.email
        ? this.cipher.encrypt(reporter.email, PII_CONTEXT.reporterEmail)
        : null,
      reporterPseudonym: '',
      appAccountId: reporter.appAccountId ?? null,
      callId: options.callId ?? null,
      duplicateOf: null,
      submittedAt,
      acceptanceClockStartedAt: submittedAt,
      acceptanceDueAt: acceptanceDeadline(submittedAt, rules),
      acceptedAt: null,
      handlingDueAt: null,
      assignee: null,
      answerText: null,
      answeredAt: null,
      closedAt: null,
      rating: null,
      rejectionReason: null,
      reopenCount: 0,
      escalated: false,
      acceptanceOverdueNotifiedFor: null,
      handlingOverdueNotifiedFor: null,
      version: 0,
      updatedAt: now,
    });

    await this.dataSource.transaction(async (manager) => {
      report.reporterPseudonym = await this.reporterPseudonym(manager, report, {
        phone,
        email: reporter.email,
      });
      // Two reports of one place arriving together: the second waits and links to the first.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1)), pg_advisory_xact_lock(hashtext($2))`, [
        `report-place:${report.category}:${report.locationNormalised ?? ''}`,
        `report-point:${report.category}:${report.lat === null ? '' : `${report.lat.toFixed(3)},${report.long!.toFixed(3)}`}`,
      ]);
      const primary = await this.openDuplicateOf(manager, report);
      const submitted: ReportEventDraft = {
        type: 'report.submitted.v1',
        data: {
          reportId: report.id,
          channel: report.channel,
          category: report.category,
          level: report.level,
          submittedAt: submittedAt.toISOString(),
          reporterPseudonym: report.reporterPseudonym,
          categoryCode: report.categoryCode,
          ...(report.callId ? { callId: report.callId } : {}),
          actorRole: options.actor.role,
          ...(options.actor.staffId ? { actorId: options.actor.staffId } : {}),
        },
        unitCode: report.unitCode,
        fromStatus: null,
        toStatus: 'received',
        withinSla: null,
        details: { routedBy: report.routedBy, channel: report.channel },
        at: submittedAt,
      };
      const drafts = [submitted];
      if (primary) {
        report.status = 'duplicate';
        report.duplicateOf = primary.id;
        report.unitCode = primary.unitCode;
        report.routedBy = 'duplicate';
        report.acceptanceDueAt = null;
        submitted.unitCode = primary.unitCode;
        submitted.toStatus = 'duplicate';
        drafts.push({
          type: 'report.duplicate-linked.v1',
          data: { reportId: report.id, primaryReportId: primary.id, linkedAt: now.toISOString() },
          unitCode: primary.unitCode,
          fromStatus: 'received',
          toStatus: 'duplicate',
          withinSla: null,
          details: { primaryReportId: primary.id },
        });
      }
      const { events, history } = numberReportEvents(report, drafts, options.actor, now);
      await manager.insert(Report, report);
      await manager.save(history);
      await addToOutbox(manager, events, { topic: this.config.HOTLINE_EVENTS_TOPIC });
      if (report.callId) await this.linkCall(manager, report.callId, report.id);
      await this.auditTrail.record(manager, {
        action: 'hotline.report.submit',
        targetType: 'report',
        targetId: report.id,
        unitCode: report.unitCode,
      });
    });
    return reportView(report, this.cipher);
  }

  /** The reports table, for the public (Open311) reads. */
  reports(): Repository<Report> {
    return this.dataSource.getRepository(Report);
  }

  /** The report's call: it must exist and have no report yet (locked until the intake commits). */
  private async linkCall(manager: EntityManager, callId: string, reportId: string): Promise<void> {
    const rows: { report_id: string | null }[] = await manager.query(
      `SELECT report_id FROM calls WHERE id = $1 FOR UPDATE`,
      [callId],
    );
    if (!rows[0])
      throw new TypedProblemException(
        'urn:backbone:problem:not-found',
        HttpStatus.NOT_FOUND,
        `No call ${callId}`,
      );
    if (rows[0].report_id)
      throw new TypedProblemException(
        'urn:backbone:problem:call-already-has-report',
        HttpStatus.CONFLICT,
        `Call ${callId} already has report ${rows[0].report_id}`,
      );
    await manager.query(`UPDATE calls SET report_id = $1 WHERE id = $2`, [reportId, callId]);
  }

  private submittedAt(value: string | undefined, now: Date): Date {
    if (!value) return now;
    const at = new Date(value);
    if (at.getTime() > now.getTime() + MAX_FUTURE_MS)
      throw new ValidationProblemException([{ field: 'submittedAt', reason: 'must not be in the future' }]);
    if (at.getTime() < now.getTime() - MAX_BACKDATE_MS)
      throw new ValidationProblemException([
        { field: 'submittedAt', reason: 'must be within the last 30 days' },
      ]);
    return at;
  }

  /** The app account's pseudonym, else the phone's or e-mail's, else one that links to nothing. */
  private async reporterPseudonym(
    manager: EntityManager,
    report: Report,
    contact: { phone?: string | undefined; email?: string | undefined },
  ): Promise<string> {
    if (report.appAccountId) {
      const rows: { pseudonym: string }[] = await manager.query(
        `SELECT pseudonym FROM app_accounts WHERE id = $1`,
        [report.appAccountId],
      );
      if (rows[0]) return rows[0].pseudonym;
    }
    const identity = identityOf(contact);
    return this.pseudonymizer.pseudonymize(identity ?? `anonymous:${report.id}`);
  }

  /**
   * The earliest open report of the same category at the same normalised address, or within
   * HOTLINE_DUPLICATE_DISTANCE_M of the same point, submitted within the window.
   */
  private async openDuplicateOf(
    manager: EntityManager,
    report: Report,
  ): Promise<{ id: string; unitCode: string } | null> {
    if (!report.locationNormalised && report.lat === null) return null;
    const windowStart = new Date(
      report.submittedAt.getTime() - this.config.HOTLINE_DUPLICATE_WINDOW_HOURS * 3600_000,
    );
    const metres = this.config.HOTLINE_DUPLICATE_DISTANCE_M;
    const latDelta = metres * DEGREES_PER_METRE;
    const longDelta =
      report.lat === null ? 0 : latDelta / Math.max(0.1, Math.cos((report.lat * Math.PI) / 180));
    const rows: {
      id: string;
      unit_code: string;
      lat: number | null;
      long: number | null;
      location_normalised: string | null;
    }[] = await manager.query(
      `SELECT id, unit_code, lat, long, location_normalised FROM reports
         WHERE category = $1 AND status = ANY($2::text[]) AND duplicate_of IS NULL
           AND submitted_at >= $3 AND submitted_at <= $4
           AND ((location_normalised IS NOT NULL AND location_normalised = $5)
             OR ($6::float8 IS NOT NULL AND lat BETWEEN $6::float8 - $8::float8 AND $6::float8 + $8::float8
                 AND long BETWEEN $7::float8 - $9::float8 AND $7::float8 + $9::float8))
         ORDER BY submitted_at, id
         LIMIT 20`,
      [
        report.category,
        OPEN_REPORT_STATUSES,
        windowStart,
        report.submittedAt,
        report.locationNormalised,
        report.lat,
        report.long,
        latDelta,
        longDelta,
      ],
    );
    for (const row of rows) {
      if (report.locationNormalised && row.location_normalised === report.locationNormalised)
        return { id: row.id, unitCode: row.unit_code };
      if (report.lat !== null && row.lat !== null && row.long !== null) {
        const metresApart = distance([report.long!, report.lat], [row.long, row.lat], { units: 'meters' });
        if (metresApart <= metres) return { id: row.id, unitCode: row.unit_code };
      }
    }
    return null;
  }
}
