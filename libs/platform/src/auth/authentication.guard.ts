import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestContextOf } from '../observability/request-context-hook';
import type { AuthenticatedUser } from './authenticated-user';
import { IS_PUBLIC } from './decorators';
import { type JwtVerifier, TokenRejectedError } from './jwt-verifier';

export const JWT_VERIFIER = Symbol('JWT_VERIFIER');

/** Deny by default: every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly logger = new Logger('Authentication');

  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_VERIFIER) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header.trim()) : null;
    if (!match) {
      reply.header('www-authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer token is required');
    }
    try {
      const user = await this.verifier.verify(match[1]);
      request.user = user;
      const requestContext = requestContextOf(request);
      if (requestContext) requestContext.user = user;
      return true;
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      this.logger.warn({ msg: 'token rejected', reason: error.reason });
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException('The bearer token is not valid');
    }
  }
}
