import { parseProcedureCsv, PROCEDURE_CSV_COLUMNS } from './procedure-csv';

const HEADER = PROCEDURE_CSV_COLUMNS.join(',');

describe('procedure CSV import', () => {
  it('parses valid rows, with quoting, a BOM, CRLF and Vietnamese text', () => {
    const csv =
      '\uFEFF' +
      `${HEADER}\r\n` +
      `1.001193,Đăng ký khai sinh,Hộ tịch,commune,same-day,,full,0,true\r\n` +
      `2.000815,"Chứng thực bản sao từ bản chính giấy tờ, văn bản",Chứng thực,commune,same-day,,partial,2000,true\r\n` +
      `1.004194,Đăng ký tạm trú,Cư trú,commune,working-days,3,full,15000,false\r\n` +
      `1.000001,Thủ tục nửa ngày,Thử,city,working-days,0.5,none,0,FALSE\r\n` +
      `1.000002,Thủ tục theo giờ,Thử,commune,working-hours,4,none,0,false\r\n`;
    const result = parseProcedureCsv(csv);
    expect(result).toEqual({
      ok: true,
      procedures: [
        expect.objectContaining({
          code: '1.001193',
          name: 'Đăng ký khai sinh',
          statutoryTime: { unit: 'same-day' },
        }),
        expect.objectContaining({
          code: '2.000815',
          name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản',
          feeVnd: 2000,
        }),
        expect.objectContaining({
          code: '1.004194',
          statutoryTime: { unit: 'working-days', value: 3 },
          requiresSignature: false,
          codeVerified: true,
        }),
        expect.objectContaining({ level: 'city', statutoryTime: { unit: 'working-days', value: 0.5 } }),
        expect.objectContaining({ statutoryTime: { unit: 'working-hours', value: 4 } }),
      ],
    });
  });

  it('reports every problem as "line N, column X: reason" and imports nothing', () => {
    const csv = [
      HEADER,
      '1.001193,Đăng ký khai sinh,Hộ tịch,commune,same-day,,full,0,true',
      '1001193,Sai mã,Hộ tịch,ward,same-day,,full,0,true',
      '1.000002,,Hộ tịch,commune,working-days,abc,online,1.000,yes',
      '1.000003,Nửa giờ,Thử,commune,working-hours,0.5,none,0,false',
      '1.000004,Ba ngày rưỡi lẻ,Thử,commune,working-days,1.3,none,0,false',
      '1.001193,Trùng mã,Hộ tịch,commune,same-day,,full,0,true',
      '1.000005,Cùng ngày có số,Thử,commune,same-day,1,none,0,false',
      '1.000006,Thiếu cột,Thử,commune',
    ].join('\n');
    const result = parseProcedureCsv(csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.messages).toEqual([
      'line 3, column level: must be one of commune, city',
      'line 4, column online_level: must be one of full, partial, none',
      'line 4, column time_value: must be a number (e.g. 3 or 0.5) for working-days',
      'line 4, column fee_vnd: must be a whole number of VND without separators, e.g. 50000',
      'line 4, column requires_signature: must be true or false',
      'line 5, column time_value: working hours must be a positive integer, got 0.5',
      'line 6, column time_value: working days must be a positive multiple of 0.5, got 1.3',
      'line 7, column code: duplicate of line 2',
      'line 8, column time_value: must be empty for same-day procedures',
      'line 9: expected 9 values, found 4',
    ]);
  });

  it('checks code and name once the row is well-formed', () => {
    const result = parseProcedureCsv(
      `${HEADER}\n1001193,Sai mã,Hộ tịch,commune,same-day,,full,0,true\n1.000002, ,Hộ tịch,commune,same-day,,full,0,true\n`,
    );
    expect(result).toMatchObject({
      ok: false,
      messages: [
        'line 2, column code: expected a national code like 1.001193 (or a local HN-… placeholder), got "1001193"',
        'line 3, column name: is required',
      ],
    });
  });

  it('accepts an optional code_verified column; a local placeholder must say false', () => {
    const csv = `${HEADER},code_verified\nHN-CT-HD,Chứng thực hợp đồng,Chứng thực,commune,working-days,2,none,50000,true,true\nHN-CT-HD2,Chứng thực hợp đồng,Chứng thực,commune,working-days,2,none,50000,true,false\n`;
    expect(parseProcedureCsv(csv)).toMatchObject({
      ok: false,
      messages: ['line 2, column code_verified: a local placeholder code cannot be marked verified'],
    });
  });

  it('counts physical lines when a quoted value spans lines', () => {
    const csv = `${HEADER}\n1.000001,"Tên\ntrên hai dòng",Thử,commune,same-day,,full,0,true\n1.000002,Sai,Thử,town,same-day,,full,0,true\n`;
    expect(parseProcedureCsv(csv)).toMatchObject({
      ok: false,
      messages: ['line 4, column level: must be one of commune, city'],
    });
  });

  it('rejects a bad header, an empty file, a header without rows and broken quoting', () => {
    expect(parseProcedureCsv('')).toMatchObject({
      ok: false,
      messages: ['line 1: empty file: a header line is required'],
    });
    expect(parseProcedureCsv(`${HEADER}\n`)).toMatchObject({
      ok: false,
      messages: ['line 2: no procedures after the header'],
    });
    expect(parseProcedureCsv('code,name,price\n')).toMatchObject({
      ok: false,
      messages: expect.arrayContaining([
        'line 1, column price: unknown column',
        'line 1, column level: missing column',
      ]),
    });
    const broken = parseProcedureCsv(`${HEADER}\n1.000001,"unterminated,Thử,commune,same-day,,full,0,true\n`);
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.messages[0]).toMatch(/^line \d+: not valid CSV/);
  });
});
