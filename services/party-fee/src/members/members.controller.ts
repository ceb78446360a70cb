import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type AuthenticatedUser,
  CurrentUser,
  IdempotencyInStatement,
  Roles,
  ServiceAction,
} from '@backbone/platform';
import {
  ExemptionDto,
  ImportMemberBatchDto,
  ImportMemberDto,
  MemberSearchDto,
  NewBasisDto,
  RegisterMemberDto,
  StatusDto,
  TransferDto,
} from './members.dto';
import { MembersHandler } from './members.handler';

const WRITERS = ['officer', 'unit-head', 'party-cell-treasurer', 'city-admin'] as const;
const READERS = ['officer', 'unit-head', 'party-cell-treasurer', 'city-admin', 'auditor'] as const;

@ApiTags('members')
@Controller('members')
export class MembersController {
  constructor(private readonly handler: MembersHandler) {}

  /** Registers a member on the digital platform (publishes party-member.registered.v1). */
  @Post()
  @HttpCode(201)
  @Roles(...WRITERS)
  @ServiceAction('party-fee.member.register')
  register(@Body() input: RegisterMemberDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.register(input, user);
  }

  /**
   * A member registered earlier, with the time of registration (a migration, or a simulated period):
   * the city admin only; audited as `party-fee.member.import`. Send an Idempotency-Key.
   */
  @Post('imports')
  @HttpCode(201)
  @Roles('city-admin')
  @ServiceAction('party-fee.member.import')
  importMember(@Body() input: ImportMemberDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.importMember(input, user);
  }

  /**
   * Up to 1,000 back-dated registrations at once, all or none (a refusal names the member:
   * `members.<i>.<field>`): the city admin only; one `party-fee.member.import` audit record per
   * member. Send an Idempotency-Key.
   */
  @Post('imports/batches')
  @HttpCode(201)
  @Roles('city-admin')
  @ServiceAction('party-fee.member.import')
  importMembers(@Body() input: ImportMemberBatchDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.importMembers(input, user);
  }

  /** Exact search by card number or name (blind indexes), within the caller's cells. */
  @Get()
  @Roles(...READERS)
  @ServiceAction('party-fee.member.read')
  search(@Query() query: MemberSearchDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.search(query, user);
  }

  @Get(':id')
  @Roles(...READERS)
  @ServiceAction('party-fee.member.read')
  find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.find(id, user);
  }

  @Post(':id/status')
  @HttpCode(200)
  @IdempotencyInStatement()
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.member.status')
  status(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: StatusDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.changeStatus(id, input, user);
  }

  /** Moves the member to another cell; open months move with the member. */
  @Post(':id/transfer')
  @HttpCode(201)
  @IdempotencyInStatement()
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.member.transfer')
  transfer(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: TransferDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.transfer(id, input, user);
  }

  /** A new or corrected monthly basis; assessed months from then on are re-assessed with adjustments. */
  @Post(':id/bases')
  @HttpCode(201)
  @IdempotencyInStatement()
  @Roles(...WRITERS)
  @ServiceAction('party-fee.member.basis')
  newBasis(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: NewBasisDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.newBasis(id, input, user);
  }

  /** An exemption with a reason and a period; assessed months in it are re-assessed to 0. */
  @Post(':id/exemptions')
  @HttpCode(201)
  @IdempotencyInStatement()
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.member.exemption')
  exempt(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: ExemptionDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.exempt(id, input, user);
  }
}
