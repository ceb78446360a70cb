import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public, ServiceAction } from '@backbone/platform';
import { bytesOf } from '../document-bodies/document-body-parsers';
import { TimestampAuthority } from './timestamp-authority';

/**
 * The city TSA over HTTP (RFC 3161 §3.4): POST a DER TimeStampReq as application/timestamp-query,
 * get a DER TimeStampResp as application/timestamp-reply. Open to other systems, like any TSA
 * (a token reveals nothing but a hash and a time); rate-limited as every route.
 */
@ApiTags('timestamp-authority')
@Controller('tsa')
export class TimestampAuthorityController {
  constructor(private readonly tsa: TimestampAuthority) {}

  @Post()
  @HttpCode(200)
  @Public()
  @ServiceAction('signing.tsa.timestamp')
  @ApiConsumes('application/timestamp-query')
  @Header('content-type', 'application/timestamp-reply')
  @ApiOkResponse({ description: 'TimeStampResp (DER)', content: { 'application/timestamp-reply': {} } })
  timestamp(@Body() body: unknown): Promise<Buffer> {
    return this.tsa.respond(bytesOf(body));
  }
}
