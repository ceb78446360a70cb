import { ForbiddenException, NotFoundException } from '@nestjs/common';
import {
  type FindOptionsWhere,
  In,
  type ObjectLiteral,
  Raw,
  type Repository,
  type SelectQueryBuilder,
} from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user';

export type Access = 'read' | 'write';

/** Which units' records a caller may touch: all of them, or the listed unit codes. */
export type UnitScope = { allUnits: true } | { allUnits: false; unitCodes: string[] };

/**
 * City admins read and write every unit; auditors read every unit and write none; everyone else
 * is limited to the units their token names.
 */
export function unitScope(user: AuthenticatedUser, access: Access = 'read'): UnitScope {
  if (user.roles.includes('city-admin')) return { allUnits: true };
  if (access === 'read' && user.roles.includes('auditor')) return { allUnits: true };
  return { allUnits: false, unitCodes: user.unitCodes };
}

export function canAccessUnit(user: AuthenticatedUser, unitCode: string, access: Access = 'read'): boolean {
  const scope = unitScope(user, access);
  return scope.allUnits || scope.unitCodes.includes(unitCode);
}

/**
 * For a record the caller names in a request body (e.g. "create a dossier for unit B"): 403,
 * because the caller already knows the unit exists. For records looked up by id use
 * findOneInUnitScope, which answers 404 so that ids of other units' records reveal nothing.
 */
export function assertCanActForUnit(user: AuthenticatedUser, unitCode: string): void {
  if (!canAccessUnit(user, unitCode, 'write')) {
    throw new ForbiddenException(`You do not serve unit ${unitCode}`);
  }
}

/**
 * A `where` fragment for TypeORM find options: spread it into every query of unit-owned data.
 * `repository.find({ where: { status: 'received', ...unitScopeWhere(user) } })`.
 */
export function unitScopeWhere<T extends ObjectLiteral>(
  user: AuthenticatedUser,
  column: keyof T & string = 'unitCode' as keyof T & string,
  access: Access = 'read',
): FindOptionsWhere<T> {
  const scope = unitScope(user, access);
  if (scope.allUnits) return {};
  // No units: match nothing, rather than `IN ()` which is a syntax error.
  const condition = scope.unitCodes.length > 0 ? In(scope.unitCodes) : Raw(() => 'FALSE');
  return { [column]: condition } as FindOptionsWhere<T>;
}

/** The same filter for a query builder; `columnExpression` as in SQL, e.g. `dossier.unit_code`. */
export function applyUnitScope<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  user: AuthenticatedUser,
  columnExpression: string,
  access: Access = 'read',
): SelectQueryBuilder<T> {
  const scope = unitScope(user, access);
  if (scope.allUnits) return query;
  if (scope.unitCodes.length === 0) return query.andWhere('FALSE');
  return query.andWhere(`${columnExpression} IN (:...platformScopeUnitCodes)`, {
    platformScopeUnitCodes: scope.unitCodes,
  });
}

/** Loads one unit-owned record or answers 404: another unit's record looks exactly like a missing one. */
export async function findOneInUnitScope<T extends ObjectLiteral>(
  repository: Repository<T>,
  user: AuthenticatedUser,
  where: FindOptionsWhere<T>,
  options: { column?: keyof T & string; access?: Access; notFound?: string } = {},
): Promise<T> {
  const record = await repository.findOne({
    where: { ...where, ...unitScopeWhere<T>(user, options.column, options.access) },
  });
  if (!record) throw new NotFoundException(options.notFound ?? 'Not found');
  return record;
}
