import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  type AuthenticatedUser,
  CurrentUser,
  IdempotencyInStatement,
  Roles,
  ServiceAction,
} from '@backbone/platform';
import {
  CashPaymentDto,
  PaymentRequestDto,
  PortalCallbackDto,
  requireIdempotencyKey,
  ReversalDto,
} from './payments.dto';
import { PaymentsHandler } from './payments.handler';

const KEY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description: 'a retry with the same key is answered, never recorded twice',
};

@ApiTags('payments')
@Controller()
export class PaymentsController {
  constructor(private readonly handler: PaymentsHandler) {}

  /** Cash collected by the cell's treasurer: allocated to the oldest open month, receipt numbered per cell and year. */
  @Post('payments/cash')
  @HttpCode(201)
  @ApiHeader(KEY_HEADER)
  @IdempotencyInStatement()
  @Roles('party-cell-treasurer', 'officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.payment.cash')
  cash(
    @Headers('idempotency-key') key: string | undefined,
    @Body() input: CashPaymentDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    requireIdempotencyKey(key);
    return this.handler.cash(input, user);
  }

  /** The national public-service portal's signed callback for a payment made there. */
  // The key is claimed by the idempotency interceptor around the handler here (not in the write's own
  // statement): a transaction the portal repeats is answered from the payment already recorded.
  @Post('payments/portal-callbacks')
  @HttpCode(201)
  @ApiHeader(KEY_HEADER)
  @Roles('service')
  @ServiceAction('party-fee.payment.portal')
  portal(
    @Headers('idempotency-key') key: string | undefined,
    @Body() input: PortalCallbackDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    requireIdempotencyKey(key);
    return this.handler.portal(input, user);
  }

  /** A VietQR code (EMVCo payload and PNG) for the cell's account, the member's reference and the amount. */
  @Post('members/:id/payment-requests')
  @HttpCode(201)
  @ApiHeader(KEY_HEADER)
  @Roles('party-cell-treasurer', 'officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.payment-request.create')
  paymentRequest(
    @Headers('idempotency-key') key: string | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: PaymentRequestDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    requireIdempotencyKey(key);
    return this.handler.paymentRequest(id, input, user);
  }

  /** A reversal with a reason: a new record taking back what the payment allocated; nothing is edited. */
  @Post('payments/:id/reversals')
  @HttpCode(201)
  @ApiHeader(KEY_HEADER)
  @IdempotencyInStatement()
  @Roles('party-cell-treasurer', 'officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.payment.reverse')
  reverse(
    @Headers('idempotency-key') key: string | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: ReversalDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    requireIdempotencyKey(key);
    return this.handler.reverse(id, input.reason, user);
  }

  @Get('payments/:id')
  @Roles('party-cell-treasurer', 'officer', 'unit-head', 'city-admin', 'auditor')
  @ServiceAction('party-fee.payment.read')
  find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.find(id, user);
  }
}
