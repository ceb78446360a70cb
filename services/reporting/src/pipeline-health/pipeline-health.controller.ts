import {
  DEAD_LETTER_OPERATIONS,
  type DeadLetterListing,
  type DeadLetterOperations,
  type DeadLetterReplay,
  deadLetterTopicFor,
  ReplayDeadLettersDto,
} from '@backbone/messaging';
import { AuditTrail, Roles, ServiceAction } from '@backbone/platform';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
} from '@nestjs/common';
import { PipelineHealthService } from './pipeline-health.service';

const GROUP_PATTERN = /^[a-z0-9._-]{1,100}$/;

/**
 * Pipeline health for the IT department's operations staff (and the dashboard's "Pipeline" view):
 * city roles only, since it shows every service. Dead letters of every service's consumer groups are
 * listed and replayed here, but each by the service that owns the group (`/ops/consumer-groups` of
 * libs/messaging, asked with the caller's own token): only that service runs the group's consumer
 * logic and may read its `<group>.dlq`. Replaying changes figures: city admin only (checked here and
 * by the owner), and each replayed letter is audited here and by the owner.
 */
@Controller('ops')
export class PipelineHealthController {
  constructor(
    private readonly health: PipelineHealthService,
    private readonly auditTrail: AuditTrail,
    @Inject(DEAD_LETTER_OPERATIONS) private readonly deadLetterOps: DeadLetterOperations,
  ) {}

  @Get('pipeline')
  @Roles('city-admin', 'auditor')
  @ServiceAction('reporting.read-pipeline-health')
  pipeline(@Headers('authorization') authorization?: string) {
    return this.health.snapshot(authorization);
  }

  @Get('dead-letters/:group')
  @Roles('city-admin', 'auditor')
  @ServiceAction('reporting.read-dead-letters')
  async deadLetters(
    @Param('group') group: string,
    @Headers('authorization') authorization?: string,
  ): Promise<DeadLetterListing & { service: string }> {
    assertGroup(group);
    if (this.deadLetterOps.serves(group))
      return { ...(await this.deadLetterOps.list(group)), service: this.deadLetterOps.serviceName };
    const owner = await this.health.ownerOf(group, authorization);
    const listing = await this.health.askOwner<DeadLetterListing>(owner, authorization, {
      method: 'GET',
      path: `/ops/consumer-groups/${encodeURIComponent(group)}/dead-letters`,
    });
    return { ...listing, service: owner.name };
  }

  @Post('dead-letters/:group/replay')
  @HttpCode(200)
  @Roles('city-admin')
  @ServiceAction('reporting.replay-dead-letters')
  async replay(
    @Param('group') group: string,
    @Body() input: ReplayDeadLettersDto,
    @Headers('authorization') authorization?: string,
  ): Promise<DeadLetterReplay & { service: string }> {
    assertGroup(group);
    // Reporting's own group: replayed here by its projection's handler, audited here.
    if (this.deadLetterOps.serves(group))
      return {
        ...(await this.deadLetterOps.replay(group, input.offsets)),
        service: this.deadLetterOps.serviceName,
      };
    // Another service's group: that service replays with its own handlers and audits each letter;
    // this service audits the same letters too, so the dashboard's path leaves a record here.
    const owner = await this.health.ownerOf(group, authorization);
    const answer = await this.health.askOwner<DeadLetterReplay>(owner, authorization, {
      method: 'POST',
      path: `/ops/consumer-groups/${encodeURIComponent(group)}/dead-letters/replay`,
      body: { offsets: input.offsets },
    });
    for (const result of answer.results) {
      await this.auditTrail.recordStandalone({
        action: 'dead-letters.replay',
        targetType: 'dead-letter',
        targetId: `${deadLetterTopicFor(group)}:${result.offset}`,
        outcome: result.outcome === 'failed' ? 'failed' : 'succeeded',
      });
    }
    return { ...answer, service: owner.name };
  }
}

function assertGroup(group: string): void {
  if (!GROUP_PATTERN.test(group))
    throw new BadRequestException('group must be a consumer group id such as reporting');
}
