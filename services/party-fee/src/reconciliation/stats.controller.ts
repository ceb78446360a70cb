import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import {
  type AuthenticatedUser,
  CurrentUser,
  IsBoundedInstant,
  Roles,
  ServiceAction,
  unitScope,
} from '@backbone/platform';
import { DataSource } from 'typeorm';

export class StatsQueryDto {
  @ApiProperty({ example: '2026-01-31T17:00:00.000Z' })
  @IsBoundedInstant()
  from!: string;

  /** Exclusive. */
  @ApiProperty({ example: '2026-02-15T17:00:00.000Z' })
  @IsBoundedInstant()
  to!: string;

  @ApiPropertyOptional({ example: '00103' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'unit must be a 5-digit unit code' })
  unit?: string;
}

/** At most a year and a bit per question: the counts scan the range. */
const MAX_RANGE_MS = 400 * 86_400_000;

/**
 * The service's own counts per unit for [from, to), each by the same business time and unit as
 * the event reporting folds: members registered (registeredAt, the unit at registration),
 * payments (paidAt, the payment's unit), reversals (reversedAt) and VND collected (paid − reversed).
 * The reporting service's reconciliation compares its figures with these.
 */
@ApiTags('reconciliation')
@Controller('stats')
export class StatsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('city-admin', 'auditor', 'service')
  @ServiceAction('party-fee.stats.read')
  async stats(@Query() query: StatsQueryDto, @CurrentUser() user: AuthenticatedUser) {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_RANGE_MS)
      throw new BadRequestException('from must be before to, at most 400 days apart');
    // City admins and auditors read every unit; a service client (reporting's reconciliation) too:
    // SERVICE_CLIENTS already limits it to this action (and to its units, when its entry lists any).
    const scope = user.roles.includes('service') ? { allUnits: true as const } : unitScope(user);
    const params: unknown[] = [from, to];
    let unitFilter = '';
    if (query.unit) {
      params.push([query.unit]);
      unitFilter = `WHERE unit_code = ANY($${params.length}::text[])`;
    } else if (!scope.allUnits) {
      params.push(scope.unitCodes);
      unitFilter = `WHERE unit_code = ANY($${params.length}::text[])`;
    }
    const rows = (await this.dataSource.query(
      `WITH registered AS (
         SELECT h.details->>'unitCode' AS unit_code, count(*) AS n FROM party_member_history h
          WHERE h.change = 'registered' AND h.occurred_at >= $1 AND h.occurred_at < $2 GROUP BY 1),
       paid AS (SELECT unit_code, count(*) AS n, sum(amount_vnd) AS v FROM party_fee_payments
          WHERE paid_at >= $1 AND paid_at < $2 GROUP BY 1),
       reversed AS (SELECT unit_code, count(*) AS n, sum(amount_vnd) AS v FROM party_fee_reversals
          WHERE reversed_at >= $1 AND reversed_at < $2 GROUP BY 1),
       units AS (SELECT unit_code FROM registered UNION SELECT unit_code FROM paid UNION SELECT unit_code FROM reversed)
       SELECT u.unit_code, coalesce(r.n, 0)::int AS registered, coalesce(p.n, 0)::int AS payments,
              coalesce(x.n, 0)::int AS reversals, (coalesce(p.v, 0) - coalesce(x.v, 0))::text AS collected
         FROM (SELECT unit_code FROM units ${unitFilter}) u
         LEFT JOIN registered r ON r.unit_code = u.unit_code LEFT JOIN paid p ON p.unit_code = u.unit_code
         LEFT JOIN reversed x ON x.unit_code = u.unit_code
        ORDER BY u.unit_code`,
      params,
    )) as { unit_code: string; registered: number; payments: number; reversals: number; collected: string }[];
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      units: rows.map((row) => ({
        unitCode: row.unit_code,
        membersRegistered: row.registered,
        payments: row.payments,
        reversals: row.reversals,
        collectedVnd: Number(row.collected),
      })),
    };
  }
}
