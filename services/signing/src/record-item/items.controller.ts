import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { RecordItemDto } from './record-item.dto';
import { RecordItemHandler } from './record-item.handler';

@ApiTags('items')
@Controller('items')
export class ItemsController {
  constructor(private readonly handler: RecordItemHandler) {}

  /**
   * Records an item for a unit the caller serves and publishes signing-item.recorded.v1. Every route names
   * its action: a service client (role `service`, if a route admits it) may call only the actions
   * SERVICE_CLIENTS allows it, for its units (libs/platform authz).
   */
  @Post()
  @HttpCode(201)
  @Roles('officer', 'city-admin')
  @ServiceAction('signing.item.record')
  record(@Body() input: RecordItemDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.record(input, user);
  }

  @Get(':id')
  @Roles('officer', 'unit-head', 'city-admin', 'auditor')
  @ServiceAction('signing.item.read')
  find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.find(id, user);
  }
}
