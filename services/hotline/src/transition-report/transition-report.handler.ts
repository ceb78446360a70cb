import { HttpStatus, Injectable } from '@nestjs/common';
import {
  AuditTrail,
  type AuthenticatedUser,
  canAccessUnit,
  changeAggregate,
  FieldCipher,
  TypedProblemException,
} from '@backbone/platform';
import { DataSource } from 'typeorm';
import { HotlineConfig } from '../config';
import { applyReportStep, type ReportStep, type StepActor } from '../report/report-lifecycle';
import { actorOf } from '../report/report-actor';
import { numberReportEvents } from '../report/report-events';
import { REPORT_VERSION_CONFLICT, reportChange } from '../report/report-change';
import { Report } from '../report/report.entity';
import { reportView, type ReportView } from '../report/report-view';
import { hanoiUnit } from '../routing/unit-directory';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { WorkingCalendarService } from '../working-calendar/working-calendar.service';

const PROBLEM_STATUS = {
  'not-allowed': HttpStatus.FORBIDDEN,
  'wrong-status': HttpStatus.CONFLICT,
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  'not-due': HttpStatus.CONFLICT,
} as const;

/**
 * Who may act on a report found by id: hotline agents and city admins on every unit's reports (they
 * route across units); unit staff only on their unit's; a channel's client (the citizen's rating)
 * on the reports of its channel. Anyone else gets 404, as for a report that does not exist.
 */
export function mayActOnReport(user: AuthenticatedUser, report: Report): boolean {
  if (user.roles.includes('hotline-agent') || user.roles.includes('city-admin')) return true;
  if (user.roles.includes('service')) return true;
  return canAccessUnit(user, report.unitCode, 'write');
}

/**
 * One step of a report's lifecycle through the aggregate write path (libs/platform changeAggregate):
 * read the report with the Idempotency-Key claimed, apply the state machine, then one statement
 * writes the row (if unchanged since read), its history, events and audit record.
 */
@Injectable()
export class TransitionReportHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: WorkingCalendarService,
    private readonly taxonomy: TaxonomyService,
    private readonly cipher: FieldCipher,
    private readonly auditTrail: AuditTrail,
    private readonly config: HotlineConfig,
  ) {}

  async transition(id: string, step: ReportStep, user: AuthenticatedUser): Promise<ReportView> {
    if (
      step.action === 'transfer' &&
      !hanoiUnit(step.toUnitCode) &&
      step.toUnitCode !== this.config.HOTLINE_CITY_UNIT_CODE &&
      !/^(SO|TTR|VP|TT)-/.test(step.toUnitCode)
    )
      throw new TypedProblemException(
        'urn:backbone:problem:unknown-unit',
        HttpStatus.UNPROCESSABLE_ENTITY,
        `${step.toUnitCode} is not a commune, ward or department of Hanoi`,
      );
    const actor = actorOf(user);
    return this.apply(id, step, actor, (report) => mayActOnReport(user, report));
  }

  /** Also the scheduler's path (report-overdue, actor = system). */
  async apply(
    id: string,
    step: ReportStep,
    actor: StepActor,
    mayWrite: (report: Report) => boolean,
  ): Promise<ReportView> {
    const [rules, limits] = await Promise.all([this.calendar.rules(), this.taxonomy.handlingLimits()]);
    const now = new Date();
    const answer = await changeAggregate(this.dataSource, Report, id, {
      auditTrail: this.auditTrail,
      mayChange: mayWrite,
      decide: (report) => {
        const outcome = applyReportStep(report, step, actor, {
          now,
          rules,
          limits,
          cityUnitCode: this.config.HOTLINE_CITY_UNIT_CODE,
        });
        if (!outcome.ok)
          throw new TypedProblemException(
            `urn:backbone:problem:report-${outcome.code}`,
            PROBLEM_STATUS[outcome.code],
            outcome.message,
          );
        const numbered = numberReportEvents(report, outcome.events, actor, now);
        return reportChange(this.dataSource.manager, report, numbered, {
          topic: this.config.HOTLINE_EVENTS_TOPIC,
          audit: {
            action: `hotline.report.${step.action}`,
            ...(actor.role === 'system'
              ? { actor: { subject: actor.subject, roles: ['service'], unitCodes: [] } }
              : {}),
          },
          answer: reportView(report, this.cipher),
        });
      },
      status: HttpStatus.OK,
      conflict: REPORT_VERSION_CONFLICT,
    });
    if (!answer)
      throw new TypedProblemException(
        'urn:backbone:problem:not-found',
        HttpStatus.NOT_FOUND,
        `No report ${id}`,
      );
    return answer;
  }
}
