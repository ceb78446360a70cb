import { isValidAgencyId } from '../dossier-code/dossier-code';
import hanoiUnits from './hanoi-units-2025.json';
import { LOCAL_PROCEDURE_CODE, validateProcedure } from './procedure';
import { seedProcedures, seedUnits } from './reference-data';

describe('reference data seeds', () => {
  it('keeps the source and licence note of the Hanoi units file', () => {
    expect(hanoiUnits.source).toMatch(/thanglequoc\/vietnamese-provinces-database.*MIT/);
    expect(hanoiUnits.effectiveFrom).toBe('2025-07-01');
  });

  it('has the 126 wards and communes with unique 5-digit codes, plus 16 city agencies', () => {
    const units = seedUnits();
    const communeLevel = units.filter((u) => u.type === 'ward' || u.type === 'commune');
    expect(communeLevel).toHaveLength(126);
    expect(communeLevel.filter((u) => u.type === 'ward')).toHaveLength(51);
    expect(communeLevel.every((u) => /^\d{5}$/.test(u.code))).toBe(true);
    expect(units.filter((u) => u.type === 'department')).toHaveLength(13);
    expect(units).toHaveLength(126 + 16);
    expect(new Set(units.map((u) => u.code)).size).toBe(units.length);
  });

  it('uses unit codes that are valid agency ids of dossier codes', () => {
    for (const unit of seedUnits()) expect(isValidAgencyId(unit.code)).toBe(true);
    expect(seedUnits().find((u) => u.code === '00070')?.name).toBe('Phường Hoàn Kiếm');
    expect(seedUnits().find((u) => u.code === 'SO-TP')?.name).toBe('Sở Tư pháp');
  });

  it('seeds valid procedures with unique codes; placeholders are never marked verified', () => {
    const procedures = seedProcedures();
    expect(procedures.length).toBeGreaterThanOrEqual(15);
    expect(new Set(procedures.map((p) => p.code)).size).toBe(procedures.length);
    for (const p of procedures) {
      expect(validateProcedure(p)).toEqual([]);
      expect(p.legalBasis.length).toBeGreaterThan(10);
      if (LOCAL_PROCEDURE_CODE.test(p.code)) expect(p.codeVerified).toBe(false);
      if (!p.codeVerified || !p.timeVerified || !p.feeVerified) expect(p.note).toBeDefined();
    }
  });

  it('includes the core civil-status, certification and residence procedures', () => {
    const byCode = new Map(seedProcedures().map((p) => [p.code, p]));
    expect(byCode.get('1.001193')).toMatchObject({
      name: 'Đăng ký khai sinh',
      statutoryTime: { unit: 'same-day' },
      feeVnd: 0,
    });
    expect(byCode.get('1.000894')).toMatchObject({ name: 'Đăng ký kết hôn', onlineLevel: 'partial' });
    expect(byCode.get('1.000656')).toMatchObject({ name: 'Đăng ký khai tử' });
    expect(byCode.get('2.000884')).toMatchObject({ feeVnd: 10000, statutoryTime: { unit: 'same-day' } });
    expect(byCode.get('1.004222')).toMatchObject({ statutoryTime: { unit: 'working-days', value: 7 } });
    expect(byCode.get('1.004194')).toMatchObject({ statutoryTime: { unit: 'working-days', value: 3 } });
  });
});
