import {
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import type { AuthenticatedUser, Role } from './authenticated-user';

export const IS_PUBLIC = 'platform:isPublic';
export const REQUIRED_ROLES = 'platform:roles';

/** Opens a route (or a controller) to callers without a token. Everything else needs one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The route is allowed to holders of any of these roles (auditors still only read). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/** The verified caller: `handler(@CurrentUser() user: AuthenticatedUser)`. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const request = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>();
    if (!request.user) throw new UnauthorizedException('No authenticated caller on a route that needs one');
    return request.user;
  },
);
