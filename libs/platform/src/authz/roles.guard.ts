import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser, Role } from '../auth/authenticated-user';
import { IS_PUBLIC, REQUIRED_ROLES } from '../auth/decorators';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Checks @Roles() and the rule that auditors never write. Runs after AuthenticationGuard, so a
 * non-public route always has a user here.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<{ method: string; user?: AuthenticatedUser }>();
    const user = request.user;
    if (!user) throw new ForbiddenException('No authenticated caller');

    const writing = !READ_METHODS.has(request.method.toUpperCase());
    const effectiveRoles = writing ? user.roles.filter((role) => role !== 'auditor') : user.roles;
    if (writing && effectiveRoles.length === 0) {
      throw new ForbiddenException('Auditors have read-only access');
    }
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.some((role) => effectiveRoles.includes(role))) {
      throw new ForbiddenException(`This action needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}
