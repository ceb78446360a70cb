import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsOptional, Matches } from 'class-validator';
import {
  type AuthenticatedUser,
  applyUnitScope,
  CurrentUser,
  IsBoundedInstant,
  Roles,
  ServiceAction,
} from '@backbone/platform';
import { Repository } from 'typeorm';
import { SigningSession } from '../signing-session/signing-session.entity';

export class SigningStatsQuery {
  /** Start of the period (an instant with offset), inclusive. */
  @IsBoundedInstant()
  from!: string;

  /** End of the period, exclusive. */
  @IsBoundedInstant()
  to!: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/, { message: 'must be a unit code' })
  unit?: string;
}

/** One unit's signing sessions by outcome, each counted by the time its event carries. */
export interface SigningUnitCounts {
  unitCode: string;
  /** `signature.requested.v1` (requestedAt) */
  requested: number;
  /** `signature.completed.v1` (signedAt) */
  completed: number;
  /** `signature.rejected.v1` (rejectedAt) */
  rejected: number;
  /** `signature.timed-out.v1` (timedOutAt) */
  timedOut: number;
}

/**
 * The signing service's own counts of its saga outcomes per unit, from its `signing_sessions`
 * table, in the half-open instant range [from, to), each by the time its event carries (the same
 * times reporting folds by): reporting's reconciliation compares them with its projections.
 */
@ApiTags('statistics')
@Controller('signing')
export class SigningStatsController {
  constructor(@InjectRepository(SigningSession) private readonly sessions: Repository<SigningSession>) {}

  @Get('stats')
  @Roles('city-admin', 'auditor', 'unit-head', 'signer', 'service')
  @ServiceAction('signing.stats.read')
  async stats(@Query() query: SigningStatsQuery, @CurrentUser() user: AuthenticatedUser) {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (from.getTime() > to.getTime()) throw new BadRequestException('from: must not be after to');
    const builder = this.sessions
      .createQueryBuilder('s')
      .select('s.unit_code', 'unitCode')
      .addSelect('count(*) FILTER (WHERE s.requested_at >= :from AND s.requested_at < :to)::int', 'requested')
      .addSelect(this.ended('completed'), 'completed')
      .addSelect(this.ended('rejected'), 'rejected')
      .addSelect(this.ended('timed-out'), 'timedOut')
      .where(
        '(s.requested_at >= :from AND s.requested_at < :to) OR (s.ended_at >= :from AND s.ended_at < :to)',
      )
      .setParameters({ from, to })
      .groupBy('s.unit_code')
      .orderBy('s.unit_code');
    if (query.unit) builder.andWhere('s.unit_code = :unit', { unit: query.unit });
    applyUnitScope(builder, user, 's.unit_code');
    const units = await builder.getRawMany<SigningUnitCounts>();
    return { from: from.toISOString(), to: to.toISOString(), units };
  }

  private ended(status: 'completed' | 'rejected' | 'timed-out'): string {
    return `count(*) FILTER (WHERE s.status = '${status}' AND s.ended_at >= :from AND s.ended_at < :to)::int`;
  }
}
