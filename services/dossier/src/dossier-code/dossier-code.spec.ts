import {
  dossierCodeDate,
  dossierCodePrefix,
  formatDossierCode,
  isValidDossierCode,
  NEXT_DOSSIER_SEQUENCE_SQL,
  parseDossierCode,
} from './dossier-code';

describe('dossier code <agency id>-<yyMMdd>-<NNNN>', () => {
  it('formats with the civil date of receipt in Asia/Ho_Chi_Minh and a zero-padded sequence', () => {
    expect(formatDossierCode('00070', new Date('2025-07-01T02:00:00Z'), 1)).toBe('00070-250701-0001');
    expect(formatDossierCode('SO-TP', new Date('2025-12-31T09:59:00Z'), 9999)).toBe('SO-TP-251231-9999');
  });

  it('uses the Vietnamese date, not the UTC date, around midnight', () => {
    // 17:30 UTC on 30 Jun is 00:30 on 1 Jul in Hanoi.
    expect(formatDossierCode('00070', new Date('2025-06-30T17:30:00Z'), 12)).toBe('00070-250701-0012');
    expect(dossierCodeDate(new Date('2025-06-30T16:59:59Z'))).toBe('2025-06-30');
    expect(dossierCodeDate(new Date('2025-06-30T17:00:00Z'))).toBe('2025-07-01');
  });

  it('rejects sequences outside 1–9999 and malformed agency ids', () => {
    const at = new Date('2025-07-01T02:00:00Z');
    expect(() => formatDossierCode('00070', at, 0)).toThrow(RangeError);
    expect(() => formatDossierCode('00070', at, 10_000)).toThrow(RangeError);
    expect(() => formatDossierCode('00070', at, 1.5)).toThrow(RangeError);
    expect(() => formatDossierCode('so-tp', at, 1)).toThrow(/agency/);
    expect(() => formatDossierCode('00070-', at, 1)).toThrow(/agency/);
    expect(() => formatDossierCode('', at, 1)).toThrow(/agency/);
  });

  it('parses from the right so agency ids may contain hyphens', () => {
    expect(parseDossierCode('00070-250701-0001')).toEqual({
      ok: true,
      value: { agencyId: '00070', receivedOn: '2025-07-01', sequence: 1 },
    });
    expect(parseDossierCode('SO-TP-260217-0420')).toEqual({
      ok: true,
      value: { agencyId: 'SO-TP', receivedOn: '2026-02-17', sequence: 420 },
    });
    expect(parseDossierCode(' 00466-280229-9999 ')).toMatchObject({
      ok: true,
      value: { receivedOn: '2028-02-29' },
    });
  });

  it.each([
    ['00070-250701-001', 'short sequence'],
    ['00070-250701-00001', 'long sequence'],
    ['00070-20250701-0001', 'four-digit year'],
    ['00070-250231-0001', '31 February'],
    ['00070-251301-0001', 'month 13'],
    ['00070-250701-0000', 'sequence 0'],
    ['250701-0001', 'no agency'],
    ['so-tp-250701-0001', 'lower-case agency'],
    ['00070_250701_0001', 'wrong separators'],
  ])('rejects %s (%s)', (code) => {
    expect(isValidDossierCode(code)).toBe(false);
    expect(parseDossierCode(code)).toMatchObject({ ok: false });
  });

  it('round-trips', () => {
    const at = new Date('2026-02-16T03:00:00Z');
    for (const agency of ['00004', '00466', 'SO-TP', 'SO-NNMT']) {
      for (const seq of [1, 42, 9999]) {
        const code = formatDossierCode(agency, at, seq);
        expect(parseDossierCode(code)).toEqual({
          ok: true,
          value: { agencyId: agency, receivedOn: '2026-02-16', sequence: seq },
        });
      }
    }
  });

  it('allocates the sequence with one upsert on (agency, day) that returns the new value', () => {
    expect(NEXT_DOSSIER_SEQUENCE_SQL).toMatch(
      /^INSERT INTO dossier_code_counter \(agency_id, local_date, last_sequence\)/,
    );
    expect(NEXT_DOSSIER_SEQUENCE_SQL).toMatch(
      /ON CONFLICT \(agency_id, local_date\)\s+DO UPDATE SET last_sequence = dossier_code_counter\.last_sequence \+ 1/,
    );
    expect(NEXT_DOSSIER_SEQUENCE_SQL).toMatch(/RETURNING last_sequence$/);
  });

  it('gives the prefix a statement appends its allocated sequence to: the formatted code without it', () => {
    const at = new Date('2025-06-30T17:30:00Z');
    expect(dossierCodePrefix('00070', at)).toBe('00070-250701-');
    expect(`${dossierCodePrefix('00070', at)}0012`).toBe(formatDossierCode('00070', at, 12));
    expect(() => dossierCodePrefix('so-tp', at)).toThrow(/agency/);
  });
});

describe('agreement with @backbone/contracts', () => {
  it("produces codes for ward/commune units that match the contracts' DOSSIER_CODE_PATTERN", async () => {
    const { DOSSIER_CODE_PATTERN } = await import('@backbone/contracts');
    expect(formatDossierCode('00070', new Date('2025-07-01T02:00:00Z'), 1)).toMatch(DOSSIER_CODE_PATTERN);
  });

  // The contracts' pattern does not yet allow a hyphen in the agency id, while its UNIT_CODE_PATTERN
  // does (SO-TP); reported to the contracts owner.
  it.todo("produces codes for department units (SO-TP) that match the contracts' DOSSIER_CODE_PATTERN");
});
