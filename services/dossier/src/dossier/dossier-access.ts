import { NotFoundException } from '@nestjs/common';
import { type AuthenticatedUser, canAccessUnit, unitScopeWhere } from '@backbone/platform';
import type { FindOptionsWhere } from 'typeorm';
import type { DossierRole } from './dossier-lifecycle';
import type { Dossier } from '../database/dossier.entities';

/**
 * Which dossiers a caller may reach. Staff: their units (platform unit scope; another unit's
 * dossier is a 404). Service accounts (the national portal, the payment gateway) are system
 * integrations acting for every unit, so they are not unit-scoped.
 */
export function dossierScopeWhere(
  user: AuthenticatedUser,
  access: 'read' | 'write',
): FindOptionsWhere<Dossier> {
  if (user.roles.includes('service')) return {};
  return unitScopeWhere<Dossier>(user, 'unitCode', access);
}

/** The same rule as dossierScopeWhere(user, 'write'), for a dossier already read. */
export function mayWriteDossier(user: AuthenticatedUser, dossier: Pick<Dossier, 'unitCode'>): boolean {
  return user.roles.includes('service') || canAccessUnit(user, dossier.unitCode, 'write');
}

export function dossierNotFound(): NotFoundException {
  return new NotFoundException('No such dossier');
}

/**
 * The lifecycle roles a token carries. The national portal's service token also acts for the
 * citizen (withdrawal, supplement), so `service` counts as `citizen-online` too.
 */
export function lifecycleRolesOf(user: AuthenticatedUser): DossierRole[] {
  const roles: DossierRole[] = [];
  for (const role of user.roles) {
    if (role === 'officer' || role === 'unit-head' || role === 'signer' || role === 'city-admin')
      roles.push(role);
    if (role === 'service') roles.push('service', 'citizen-online');
  }
  return roles;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Events name staff by UUIDv7 user id; other subjects (service accounts, test ids) are left out. */
export function staffIdForEvents(user: AuthenticatedUser): string | undefined {
  return UUID_V7.test(user.subject) ? user.subject : undefined;
}
