import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Role } from '@backbone/platform';
import { repoRoot } from '../infra/paths';

/** A development account of the local OpenID Connect provider, with the claims the services read. */
export interface DevUser {
  /** The login name and the token's `sub`. */
  username: string;
  name: string;
  roles: Role[];
  /** The `units` claim: the unit codes the holder serves (empty for city-wide roles). */
  units: string[];
}

interface UnitRecord {
  code: string;
  name: string;
}

/** Hanoi's 126 communes and wards, from the dossier service's reference data (the owner of units). */
export function hanoiUnits(
  file = resolve(repoRoot, 'services', 'dossier', 'src', 'reference-data', 'hanoi-units-2025.json'),
): UnitRecord[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { units: UnitRecord[] }).units;
}

/** The unit the single unit-bound development accounts (signer, treasurer, hotline agent) serve. */
export const DEV_HOME_UNIT = '00070';

/**
 * The development users: an officer and a unit head per unit (`officer-00070`, `head-00070`), and
 * the city's own roles. The same claims a real provider (Keycloak, the national identity service)
 * must put in its access tokens: `roles` (or Keycloak's `realm_access.roles`) and `units`.
 */
export function developmentUsers(units: readonly UnitRecord[] = hanoiUnits()): DevUser[] {
  const users: DevUser[] = [
    { username: 'city-admin', name: 'Quản trị thành phố', roles: ['city-admin'], units: [] },
    { username: 'auditor', name: 'Kiểm toán viên', roles: ['auditor'], units: [] },
    {
      username: 'hotline-agent',
      name: 'Tổng đài viên 1022',
      roles: ['hotline-agent'],
      units: [DEV_HOME_UNIT],
    },
    {
      username: 'cell-treasurer',
      name: 'Thủ quỹ chi bộ',
      roles: ['party-cell-treasurer'],
      units: [DEV_HOME_UNIT],
    },
    { username: 'signer', name: 'Lãnh đạo ký số', roles: ['signer'], units: [DEV_HOME_UNIT] },
  ];
  for (const unit of units) {
    users.push(
      {
        username: `officer-${unit.code}`,
        name: `Cán bộ ${unit.name}`,
        roles: ['officer'],
        units: [unit.code],
      },
      {
        username: `head-${unit.code}`,
        name: `Lãnh đạo ${unit.name}`,
        roles: ['unit-head'],
        units: [unit.code],
      },
    );
  }
  return users;
}
