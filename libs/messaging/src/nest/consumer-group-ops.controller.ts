import { Roles, ServiceAction } from '@backbone/platform';
import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { DeadLetterOperations } from './dead-letter-operations';
import { ReplayDeadLettersDto } from './replay-dead-letters.dto';

const GROUP_PATTERN = /^[a-z0-9._-]{1,100}$/;

/**
 * Every consuming service's dead letters, the same routes in each (MessagingModule's
 * `deadLetterOps: true`): city roles read, only a city admin replays, and each replayed letter is
 * audited in this service's audit trail. The reporting service's pipeline view lists and replays
 * them through these routes, with the caller's own token.
 */
@Controller('ops/consumer-groups')
export class ConsumerGroupOpsController {
  constructor(private readonly operations: DeadLetterOperations) {}

  @Get()
  @Roles('city-admin', 'auditor')
  @ServiceAction('ops.read-consumer-groups')
  groups() {
    return this.operations.groups();
  }

  @Get(':group/dead-letters')
  @Roles('city-admin', 'auditor')
  @ServiceAction('ops.read-dead-letters')
  deadLetters(@Param('group') group: string) {
    return this.operations.list(assertGroup(group));
  }

  @Post(':group/dead-letters/replay')
  @HttpCode(200)
  @Roles('city-admin')
  @ServiceAction('ops.replay-dead-letters')
  replay(@Param('group') group: string, @Body() input: ReplayDeadLettersDto) {
    return this.operations.replay(assertGroup(group), input.offsets);
  }
}

export function assertGroup(group: string): string {
  if (!GROUP_PATTERN.test(group))
    throw new BadRequestException('group must be a consumer group id such as reporting');
  return group;
}
