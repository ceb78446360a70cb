import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { PERIOD_PATTERN } from '../fee-rules/period';
import { RemittancesHandler } from './remittances.handler';

const PERIOD_MESSAGE = 'period must be a month YYYY-MM between 2000-01 and 2100-12';

export class RecordRemittanceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  cellId!: string;

  @ApiProperty({ example: '2026-02' })
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;
}

export class ConfirmRemittanceDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class RemittanceQueryDto {
  @ApiProperty({ example: '2026-02' })
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;

  @ApiPropertyOptional({ example: '00103' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'unitCode must be a 5-digit unit code' })
  unitCode?: string;
}

@ApiTags('remittances')
@Controller('remittances')
export class RemittancesController {
  constructor(private readonly handler: RemittancesHandler) {}

  @Post()
  @HttpCode(201)
  @Roles('party-cell-treasurer', 'officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.remittance.record')
  record(@Body() input: RecordRemittanceDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.record(input.cellId, input.period, user);
  }

  /** The committee confirms it received the remittance. */
  @Post(':id/confirmation')
  @HttpCode(201)
  @Roles('party-cell-treasurer', 'officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.remittance.confirm')
  confirm(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: ConfirmRemittanceDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.confirm(id, input.note ?? '', user);
  }

  @Get()
  @Roles('party-cell-treasurer', 'officer', 'unit-head', 'city-admin', 'auditor')
  @ServiceAction('party-fee.remittance.read')
  list(@Query() query: RemittanceQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.list(query.period, user, query.unitCode);
  }
}
