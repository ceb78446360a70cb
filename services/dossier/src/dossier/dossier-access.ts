import { NotFoundException } from '@nestjs/common';
import {
  type AuthenticatedUser,
  canAccessUnit,
  type ServiceClientRegistry,
  serviceClientServesUnit,
  serviceClientUnits,
  unitScopeWhere,
} from '@backbone/platform';
import { type FindOptionsWhere, In } from 'typeorm';
import type { DossierRole } from './dossier-lifecycle';
import type { Dossier } from '../database/dossier.entities';

/**
 * Which dossiers a caller may reach. Staff: their units (platform unit scope; another unit's
 * dossier is a 404). Service accounts (the national portal, the payment gateway) are system
 * integrations acting for every unit, unless their SERVICE_CLIENTS entry lists units: then only
 * those (another unit's dossier is a 404 for them too). `serviceClients`: the platform's
 * SERVICE_CLIENT_REGISTRY, undefined when no allow-lists are configured.
 */
export function dossierScopeWhere(
  user: AuthenticatedUser,
  access: 'read' | 'write',
  serviceClients: ServiceClientRegistry | undefined,
): FindOptionsWhere<Dossier> {
  if (user.roles.includes('service')) {
    const units = serviceClientUnits(serviceClients, user);
    return units === undefined ? {} : { unitCode: In([...units]) };
  }
  return unitScopeWhere<Dossier>(user, 'unitCode', access);
}

/**
 * The same rule as dossierScopeWhere(user, 'write', serviceClients), for a dossier already read
 * (a lifecycle action by id, whose request names no unit for the ServiceClientGuard to check).
 */
export function mayWriteDossier(
  user: AuthenticatedUser,
  dossier: Pick<Dossier, 'unitCode'>,
  serviceClients: ServiceClientRegistry | undefined,
): boolean {
  if (user.roles.includes('service')) return serviceClientServesUnit(serviceClients, user, dossier.unitCode);
  return canAccessUnit(user, dossier.unitCode, 'write');
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
