import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Public } from '@backbone/platform';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReportingConfig } from '../config';
import { ExchangeCodeDto } from './dashboard.dto';
import { FIGURE_CATALOGUE } from './figure-catalogue';
import { OidcClient } from './oidc-client';

/** The files of the built dashboard (web/build.mjs) this route serves, and nothing else. */
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * The city dashboard, served by this service (no separate web server): the page and its bundle,
 * where to sign in, the figure catalogue the page renders from, and the code exchange of its
 * sign-in. Every figure it shows comes from the token-protected /reports and /ops routes.
 */
@Public()
@Controller('dashboard')
export class DashboardController {
  private readonly assetsDir: string;
  private readonly oidc: OidcClient;

  constructor(config: ReportingConfig) {
    // src/dashboard or dist/dashboard → services/reporting/dist/dashboard-web.
    this.assetsDir = resolve(
      config.DASHBOARD_ASSETS_DIR ?? resolve(__dirname, '..', '..', 'dist', 'dashboard-web'),
    );
    this.oidc = new OidcClient(
      config.DASHBOARD_OIDC_ISSUER ?? config.JWT_ISSUER,
      config.DASHBOARD_OIDC_CLIENT_ID,
      config.DASHBOARD_OIDC_INTERNAL_URL,
    );
  }

  @Get()
  async page(@Res() reply: FastifyReply) {
    return this.send(reply, 'index.html', 'text/html; charset=utf-8');
  }

  @Get('assets/:name')
  async asset(@Param('name') name: string, @Res() reply: FastifyReply) {
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!type) throw new NotFoundException(`No asset ${name}`);
    return this.send(reply, name, type);
  }

  /** Where the browser sends the user to sign in (authorization code + PKCE, S256). */
  @Get('config.json')
  async signInConfig() {
    const endpoints = await this.oidc.endpoints().catch((error: unknown) => {
      throw new ServiceUnavailableException(`The sign-in provider does not answer: ${String(error)}`);
    });
    return {
      issuer: endpoints.issuer,
      authorizationEndpoint: endpoints.authorizationEndpoint,
      endSessionEndpoint: endpoints.endSessionEndpoint,
      clientId: this.oidc.clientId,
      scope: 'openid profile',
    };
  }

  /** What the dashboard draws: figures with their API path, format and labels (see figure-catalogue). */
  @Get('catalogue')
  catalogue() {
    return { figures: FIGURE_CATALOGUE };
  }

  /** The browser's authorization code and PKCE verifier, exchanged at the provider's token endpoint. */
  @Post('token')
  @HttpCode(200)
  async exchange(@Body() input: ExchangeCodeDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const tokens = await this.oidc.exchangeCode(input).catch((error: unknown) => {
      throw new ServiceUnavailableException(`The sign-in provider does not answer: ${String(error)}`);
    });
    if (!tokens) throw new UnauthorizedException('The sign-in code was refused; sign in again');
    void reply.header('cache-control', 'no-store');
    return tokens;
  }

  private async send(reply: FastifyReply, name: string, type: string) {
    let body: Buffer;
    try {
      body = await readFile(resolve(this.assetsDir, name));
    } catch {
      throw new NotFoundException('The dashboard is not built (npm run build)');
    }
    return reply.header('content-type', type).header('cache-control', 'no-cache').send(body);
  }
}
