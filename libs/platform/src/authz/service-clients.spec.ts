import { ForbiddenException } from '@nestjs/common';
import type { AuthenticatedUser, Role } from '../auth/authenticated-user';
import {
  assertServiceClientMay,
  parseServiceClients,
  serviceClientServesUnit,
  serviceClientUnits,
} from './service-clients';

const caller = (subject: string, roles: Role[] = ['service']): AuthenticatedUser => ({
  subject,
  roles,
  unitCodes: [],
});

describe('service clients and their units', () => {
  const registry = parseServiceClients(
    'national-portal:dossier.submit-online;payment-gateway:dossier.record-payment@00070+00103',
  );

  it('parses actions and units per client', () => {
    expect(registry.get('payment-gateway')).toEqual({
      name: 'payment-gateway',
      actions: new Set(['dossier.record-payment']),
      units: new Set(['00070', '00103']),
    });
    expect(registry.get('national-portal')?.units).toBeUndefined();
  });

  it('limits a client with units to them on records found by id, and leaves others unlimited', () => {
    const gateway = caller('payment-gateway');
    expect(serviceClientServesUnit(registry, gateway, '00070')).toBe(true);
    expect(serviceClientServesUnit(registry, gateway, '00466')).toBe(false);
    // No units listed, not a service client, or no allow-lists configured: every unit.
    expect(serviceClientServesUnit(registry, caller('national-portal'), '00466')).toBe(true);
    expect(serviceClientServesUnit(registry, caller('officer', ['officer']), '00466')).toBe(true);
    expect(serviceClientServesUnit(undefined, gateway, '00466')).toBe(true);
    // An unregistered client (the guard refuses it first) serves no unit.
    expect([...(serviceClientUnits(registry, caller('stranger')) ?? ['all'])]).toEqual([]);
  });

  it('answers 403 for an action or unit off the list', () => {
    const gateway = caller('payment-gateway');
    expect(() => assertServiceClientMay(registry, gateway, 'dossier.record-payment', '00070')).not.toThrow();
    expect(() => assertServiceClientMay(registry, gateway, 'dossier.record-payment', '00466')).toThrow(
      ForbiddenException,
    );
    expect(() => assertServiceClientMay(registry, gateway, 'dossier.withdraw', '00070')).toThrow(
      ForbiddenException,
    );
  });
});
