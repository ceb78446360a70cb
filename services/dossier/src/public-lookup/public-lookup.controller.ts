import { Controller, Get, NotFoundException, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import { BlindIndex, Public, Throttle } from '@backbone/platform';
import { Matches } from 'class-validator';
import { Repository } from 'typeorm';
import { Dossier } from '../database/dossier.entities';
import { PII_CONTEXT } from '../dossier/dossier-view';

export class PublicLookupQuery {
  @Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*-\d{6}-\d{4}$/, { message: 'must be a dossier code' })
  code!: string;

  @Matches(/^\d{12}$/, { message: 'must be a 12-digit national ID' })
  nationalId!: string;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * A citizen checks their dossier with its code and their national ID. Both must match (a code
 * alone is guessable), the answer is the status and dates only, and the route is rate-limited per
 * client. A wrong pair and an unknown code look the same (404).
 */
@ApiTags('public')
@Controller('public/dossiers')
export class PublicLookupController {
  constructor(
    @InjectRepository(Dossier) private readonly dossiers: Repository<Dossier>,
    private readonly blindIndex: BlindIndex,
  ) {}

  @Public()
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @Get('lookup')
  async lookup(@Query() query: PublicLookupQuery) {
    const dossier = await this.dossiers.findOne({
      where: {
        code: query.code,
        applicantNationalIdIndex: this.blindIndex.compute(query.nationalId, PII_CONTEXT.nationalId),
      },
    });
    if (!dossier) throw new NotFoundException('No dossier with this code and national ID');
    return {
      code: dossier.code,
      status: dossier.status,
      submittedAt: iso(dossier.submittedAt),
      receivedAt: iso(dossier.receivedAt),
      dueAt: iso(dossier.promisedDueAt ?? dossier.dueAt),
      resolvedAt: iso(dossier.resolvedAt),
      returnedAt: iso(dossier.returnedAt),
    };
  }
}
