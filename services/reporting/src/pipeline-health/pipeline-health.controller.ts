import {
  deadLetterTopicFor,
  KAFKA_CLIENT,
  type KafkaClient,
  readDeadLetters,
  replayDeadLetters,
} from '@backbone/messaging';
import { AuditTrail, Roles, ServiceAction } from '@backbone/platform';
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { applyLiveBatch } from '../projections/projection-writer';
import { ReplayDeadLettersDto } from './dead-letters.dto';
import { PipelineHealthService } from './pipeline-health.service';

const GROUP_PATTERN = /^[a-z0-9._-]{1,100}$/;
/** The newest dead letters a listing shows. */
const LISTED_DEAD_LETTERS = 200;

/**
 * Pipeline health for the IT department's operations staff (and the dashboard's "Pipeline" view):
 * city roles only, since it shows every service. Replaying dead letters changes figures: city admin
 * only, and every replayed letter is audited with its outcome.
 */
@Controller('ops')
export class PipelineHealthController {
  constructor(
    private readonly health: PipelineHealthService,
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
  ) {}

  @Get('pipeline')
  @Roles('city-admin', 'auditor')
  @ServiceAction('reporting.read-pipeline-health')
  pipeline() {
    return this.health.snapshot();
  }

  @Get('dead-letters/:group')
  @Roles('city-admin', 'auditor')
  @ServiceAction('reporting.read-dead-letters')
  async deadLetters(@Param('group') group: string) {
    assertGroup(group);
    const letters = await readDeadLetters({ client: this.kafka, groupId: group, timeoutMs: 15_000 });
    return {
      group,
      topic: deadLetterTopicFor(group),
      count: letters.length,
      replayable: group === this.health.ownGroup,
      // Newest first; the payload stays in Kafka (it may be what made the consumer fail).
      deadLetters: letters
        .slice(-LISTED_DEAD_LETTERS)
        .reverse()
        .map(({ key: _key, value: _value, ...letter }) => letter),
    };
  }

  @Post('dead-letters/:group/replay')
  @HttpCode(200)
  @Roles('city-admin')
  @ServiceAction('reporting.replay-dead-letters')
  async replay(@Param('group') group: string, @Body() input: ReplayDeadLettersDto) {
    assertGroup(group);
    if (group !== this.health.ownGroup) {
      throw new ConflictException(
        `Dead letters of ${group} are replayed by the ${group} service (npm run dead-letters -- replay --group ${group} --target …)`,
      );
    }
    // The same inbox path as the live consumer: a letter applied meanwhile counts once ("duplicate").
    const results = await replayDeadLetters({
      client: this.kafka,
      groupId: group,
      dataSource: this.dataSource,
      offsets: input.offsets,
      timeoutMs: 15_000,
      handlers: {
        handleBatch: async (events, manager, positions) => {
          await applyLiveBatch(manager, events, positions);
        },
      },
    });
    for (const result of results) {
      await this.auditTrail.recordStandalone({
        action: 'dead-letters.replay',
        targetType: 'dead-letter',
        targetId: `${deadLetterTopicFor(group)}:${result.offset}`,
        outcome: result.outcome === 'failed' ? 'failed' : 'succeeded',
      });
    }
    const found = new Set(results.map((result) => result.offset));
    const missing = input.offsets.map((o) => o.split(':').at(-1)!).filter((offset) => !found.has(offset));
    return { group, results, missing };
  }
}

function assertGroup(group: string): void {
  if (!GROUP_PATTERN.test(group))
    throw new BadRequestException('group must be a consumer group id such as reporting');
}
