import { CLOCK_RUNNING_DOSSIER_STATUSES } from '@backbone/contracts';
import { type AuthenticatedUser, CurrentUser, unitScope } from '@backbone/platform';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ReportsService } from '../reports/reports.service';
import { unitName } from '../units/units';

export class OverdueQuery {
  /** How many dossiers, most overdue first (at most 500). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/**
 * The dossiers overdue right now (clock running, past their due time), most overdue first, in the
 * caller's units (city roles: all). From the per-dossier state the projection keeps; no personal data.
 */
@Controller('reports/overdue')
export class OverdueController {
  constructor(private readonly reports: ReportsService) {}

  @Get('dossiers')
  async overdueDossiers(
    @Query() query: OverdueQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const scope = unitScope(user);
    const units = scope.allUnits ? null : scope.unitCodes;
    const now = new Date();
    const { data, freshness } = await this.reports.read(async (schema) => {
      const params: unknown[] = [[...CLOCK_RUNNING_DOSSIER_STATUSES], now.toISOString(), query.limit ?? 100];
      if (units !== null) params.push(units);
      const rows: {
        dossier_id: string;
        unit_code: string;
        status: string;
        procedure_code: string | null;
        channel: string | null;
        due_at: Date;
        received_at: Date | null;
      }[] = await this.reports.dataSource.query(
        `SELECT dossier_id, unit_code, status, procedure_code, channel, due_at, received_at
           FROM "${schema}".dossier_state
          WHERE status = ANY($1::text[]) AND due_at < $2::timestamptz
                ${units === null ? '' : 'AND unit_code = ANY($4::text[])'}
          ORDER BY due_at, dossier_id
          LIMIT $3`,
        params,
      );
      return rows;
    });
    reply.header('x-complete-up-to', freshness.completeUpTo ?? '');
    reply.header('x-consumer-lag', String(freshness.consumerLag.messages ?? ''));
    return {
      scope: units === null ? 'city' : 'units',
      measuredAt: now.toISOString(),
      freshness,
      dossiers: data.map((row) => ({
        dossierId: row.dossier_id,
        unitCode: row.unit_code,
        unitName: unitName(row.unit_code),
        status: row.status,
        procedureCode: row.procedure_code,
        channel: row.channel,
        dueAt: new Date(row.due_at).toISOString(),
        receivedAt: row.received_at ? new Date(row.received_at).toISOString() : null,
        hoursOverdue: Math.floor((now.getTime() - new Date(row.due_at).getTime()) / 3_600_000),
      })),
    };
  }
}
