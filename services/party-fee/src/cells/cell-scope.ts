import { NotFoundException } from '@nestjs/common';
import type { Access, AuthenticatedUser } from '@backbone/platform';

/**
 * Which party cells a caller may see or act for: the city (city-admin; auditors read) all of them;
 * a commune/ward committee (officer, unit-head of the unit) the cells under its unit codes; a cell
 * treasurer (party-cell-treasurer) the cells they are the treasurer of.
 */
export type CellScope = { all: true } | { all: false; unitCodes: string[]; treasurerSubject: string | null };

const COMMITTEE_ROLES = ['officer', 'unit-head'] as const;

export function cellScopeOf(user: AuthenticatedUser, access: Access = 'read'): CellScope {
  if (user.roles.includes('city-admin')) return { all: true };
  if (access === 'read' && user.roles.includes('auditor')) return { all: true };
  const committee = user.roles.some((role) => (COMMITTEE_ROLES as readonly string[]).includes(role));
  return {
    all: false,
    unitCodes: committee ? user.unitCodes : [],
    treasurerSubject: user.roles.includes('party-cell-treasurer') ? user.subject : null,
  };
}

/** Whether the caller's scope covers a cell (by its current committee and treasurer). */
export function scopeCoversCell(
  scope: CellScope,
  cell: { unitCode: string; treasurerSubject: string | null },
): boolean {
  if (scope.all) return true;
  if (scope.unitCodes.includes(cell.unitCode)) return true;
  return scope.treasurerSubject !== null && cell.treasurerSubject === scope.treasurerSubject;
}

/**
 * A SQL condition on a cells alias (`c`), appending its parameters to `params`: TRUE for the city,
 * FALSE for a caller with no cells.
 */
export function cellScopeCondition(scope: CellScope, alias: string, params: unknown[]): string {
  if (scope.all) return 'TRUE';
  const parts: string[] = [];
  if (scope.unitCodes.length > 0) {
    params.push(scope.unitCodes);
    parts.push(`${alias}.unit_code = ANY($${params.length}::text[])`);
  }
  if (scope.treasurerSubject !== null) {
    params.push(scope.treasurerSubject);
    parts.push(`${alias}.treasurer_subject = $${params.length}`);
  }
  return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
}

/** A record outside the caller's cells looks exactly like a missing one. */
export function notFound(what: string): NotFoundException {
  return new NotFoundException(`No ${what}`);
}
