import { HOTLINE_PER_DOSSIER, runPhone } from './hotline-workload';

describe('hotline workload proportions', () => {
  it('reproduces the city’s first 15 days for its dossiers of 13 days', () => {
    // 66,000 dossiers in 13 days; over the same 13 days the city had 13/15 of its 15-day hotline figures.
    const dossiers = 66_000;
    expect(Math.round(dossiers * HOTLINE_PER_DOSSIER.calls)).toBe(Math.round((1_800 * 13) / 15));
    expect(Math.round(dossiers * HOTLINE_PER_DOSSIER.appReports)).toBe(Math.round((3_500 * 13) / 15));
    expect(Math.round(dossiers * HOTLINE_PER_DOSSIER.appAccounts)).toBe(Math.round((1_700 * 13) / 15));
  });
});

describe('a run’s app-account phones', () => {
  it('never repeat within a run, and differ between runs', () => {
    const phones = Array.from({ length: 2_000 }, (_, i) => runPhone('355214b9', i));
    expect(new Set(phones).size).toBe(2_000);
    for (const phone of phones) expect(phone).toMatch(/^09\d{8}$/);
    expect(runPhone('c168d1e1', 0)).not.toBe(phones[0]);
  });
});
