import { ForbiddenException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser, Role } from '../auth/authenticated-user';
import { REQUIRED_ROLES } from '../auth/decorators';
import { RolesGuard } from './roles.guard';
import { assertCanActForUnit, canAccessUnit, unitScope, unitScopeWhere } from './unit-scope';

const user = (roles: Role[], unitCodes: string[] = []): AuthenticatedUser => ({
  subject: 's',
  roles,
  unitCodes,
});

describe('unit scope', () => {
  it('limits officers to their units, lets city admins do all and auditors read all', () => {
    expect(unitScope(user(['officer'], ['00070']))).toEqual({ allUnits: false, unitCodes: ['00070'] });
    expect(unitScope(user(['city-admin']), 'write')).toEqual({ allUnits: true });
    expect(unitScope(user(['auditor']), 'read')).toEqual({ allUnits: true });
    expect(unitScope(user(['auditor']), 'write')).toEqual({ allUnits: false, unitCodes: [] });
    expect(canAccessUnit(user(['officer'], ['00070']), '00103')).toBe(false);
    expect(() => assertCanActForUnit(user(['officer'], ['00070']), '00103')).toThrow(ForbiddenException);
  });

  it('builds a where fragment that matches nothing for a caller without units', () => {
    expect(unitScopeWhere(user(['city-admin']))).toEqual({});
    expect(JSON.stringify(unitScopeWhere(user(['officer'], ['00070'])))).toContain('00070');
    const none = unitScopeWhere<{ unitCode: string }>(user(['officer'], []));
    expect(none.unitCode).toBeDefined();
  });
});

describe('RolesGuard', () => {
  function contextFor(method: string, caller: AuthenticatedUser, required?: Role[]): ExecutionContext {
    const handler = () => undefined;
    if (required) Reflect.defineMetadata(REQUIRED_ROLES, required, handler);
    return {
      getType: () => 'http',
      getHandler: () => handler,
      getClass: () => class {},
      switchToHttp: () => ({ getRequest: () => ({ method, user: caller }) }),
    } as unknown as ExecutionContext;
  }
  const guard = new RolesGuard(new Reflector());

  it('allows a listed role and refuses others', () => {
    expect(guard.canActivate(contextFor('POST', user(['officer'], ['00070']), ['officer']))).toBe(true);
    expect(() => guard.canActivate(contextFor('POST', user(['signer'], ['00070']), ['officer']))).toThrow(
      ForbiddenException,
    );
  });

  it('lets an auditor read but never write, even on a route that lists auditors', () => {
    expect(guard.canActivate(contextFor('GET', user(['auditor']), ['auditor']))).toBe(true);
    expect(() => guard.canActivate(contextFor('POST', user(['auditor']), ['auditor']))).toThrow(/read-only/);
    expect(() => guard.canActivate(contextFor('DELETE', user(['auditor'])))).toThrow(/read-only/);
  });
});
