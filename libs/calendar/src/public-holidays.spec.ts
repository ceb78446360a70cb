import { holidaysByRule, statutoryHolidays } from './public-holidays';

const dates = (year: number) => holidaysByRule(year).map((h) => h.date);

describe('public holidays by rule (Labour Code 2019, art. 111(3) and 112)', () => {
  it('has the eleven statutory days every year', () => {
    for (let year = 2020; year <= 2030; year += 1) expect(statutoryHolidays(year)).toHaveLength(11);
  });

  it('puts Tết on the last day of the lunar year plus lunar 1/1–4/1 (the 2026 decision: 16–20 Feb)', () => {
    const tet2026 = statutoryHolidays(2026)
      .filter((h) => h.name.startsWith('Tết Nguyên đán'))
      .map((h) => h.date);
    expect(tet2026).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
  });

  it('includes the computed Hùng Kings day', () => {
    expect(dates(2025)).toContain('2025-04-07');
    expect(dates(2026)).toContain('2026-04-26');
    expect(dates(2030)).toContain('2030-04-12');
  });

  it.each([
    // National Day breaks as announced: 2021 2–5 Sep, 2024 31 Aug – 3 Sep, 2025 30 Aug – 2 Sep, 2026 1–2 Sep (+ swap)
    [2021, '2021-09-03'],
    [2022, '2022-09-01'],
    [2023, '2023-09-01'],
    [2024, '2024-09-03'],
    [2025, '2025-09-01'],
    [2026, '2026-09-01'],
  ])('chooses the National Day adjacent day of %i as the Government did: %s', (year, adjacent) => {
    expect(statutoryHolidays(year).find((h) => h.name === 'National Day: adjacent day')?.date).toBe(adjacent);
  });

  it('gives a compensatory day on the next working day for a holiday on a weekend', () => {
    // 2026: Hùng Kings' day is Sunday 26 Apr → Monday 27 Apr (announced as a 25–27 Apr long weekend).
    expect(
      holidaysByRule(2026)
        .filter((h) => h.kind === 'compensatory')
        .map((h) => h.date),
    ).toEqual(['2026-04-27']);
    // 2023: 2 Sep is a Saturday → Monday 4 Sep; 1 Sep (Friday) is the adjacent day.
    expect(dates(2023)).toEqual(expect.arrayContaining(['2023-09-01', '2023-09-02', '2023-09-04']));
  });

  it('skips days that are already holidays when placing compensatory days', () => {
    // 2022: 30 Apr (Sat) and 1 May (Sun) → Mon 2 May and Tue 3 May (announced: 30 Apr – 3 May).
    expect(
      holidaysByRule(2022)
        .filter((h) => h.date >= '2022-04-30' && h.date <= '2022-05-03')
        .map((h) => h.date),
    ).toEqual(['2022-04-30', '2022-05-01', '2022-05-02', '2022-05-03']);
  });

  it('honours a different weekly rest pattern (Sunday only)', () => {
    // With Sunday as the only rest day, Saturday 2 Sep 2023 is an ordinary holiday with no compensation.
    expect(
      holidaysByRule(2023, [0])
        .filter((h) => h.kind === 'compensatory')
        .map((h) => h.date),
    ).not.toContain('2023-09-04');
  });
});
