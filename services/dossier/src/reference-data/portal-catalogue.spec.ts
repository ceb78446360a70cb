import { portalFee, portalLevel, portalOnlineLevel, portalTime } from './portal-catalogue';
import { parseProcedureCsv } from './procedure-csv';

/** A catalogue as the national portal lays it out: its column names, its free text, extra columns. */
const PORTAL_HEADER =
  'STT,Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết,"Phí, lệ phí",Mức độ,Cơ quan thực hiện';

describe('procedure CSV import in the national portal layout', () => {
  it('translates the portal columns and their free text into procedures', () => {
    const csv = [
      PORTAL_HEADER,
      '1,1.001193,Đăng ký khai sinh,Hộ tịch,Cấp Xã,Ngay trong ngày làm việc,Miễn lệ phí,Toàn trình,UBND cấp xã',
      '2,1.004194,Đăng ký tạm trú,Cư trú,"Cấp Tỉnh, Cấp Xã",03 ngày làm việc kể từ ngày nhận đủ hồ sơ,"Lệ phí: 15.000 đồng/lần",Một phần,Công an cấp xã',
      '3,2.000815,"Chứng thực bản sao từ bản chính giấy tờ, văn bản",Chứng thực,Cấp Xã,"0,5 ngày làm việc",2.000 đ/trang,,UBND cấp xã',
      '4,1.000656,Đăng ký khai tử,Hộ tịch,Cấp Tỉnh,8 giờ làm việc,Không,Mức độ 3,Sở Tư pháp',
    ].join('\r\n');
    const result = parseProcedureCsv(csv);
    expect(result).toEqual({
      ok: true,
      procedures: [
        {
          code: '1.001193',
          name: 'Đăng ký khai sinh',
          field: 'Hộ tịch',
          level: 'commune',
          statutoryTime: { unit: 'same-day' },
          onlineLevel: 'full',
          feeVnd: 0,
          requiresSignature: false,
          codeVerified: true,
        },
        expect.objectContaining({
          code: '1.004194',
          level: 'commune',
          statutoryTime: { unit: 'working-days', value: 3 },
          onlineLevel: 'partial',
          feeVnd: 15_000,
        }),
        expect.objectContaining({
          code: '2.000815',
          name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản',
          statutoryTime: { unit: 'working-days', value: 0.5 },
          onlineLevel: 'none',
          feeVnd: 2_000,
        }),
        expect.objectContaining({
          level: 'city',
          statutoryTime: { unit: 'working-hours', value: 8 },
          onlineLevel: 'partial',
          feeVnd: 0,
        }),
      ],
    });
  });

  it('takes requires_signature and code_verified when the file adds them', () => {
    const csv = [
      'Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết,requires_signature,code_verified',
      'HN-TEST-1,Thủ tục địa phương,Thử,Cấp Xã,5 ngày làm việc,true,false',
    ].join('\n');
    expect(parseProcedureCsv(csv)).toEqual({
      ok: true,
      procedures: [
        expect.objectContaining({ code: 'HN-TEST-1', requiresSignature: true, codeVerified: false }),
      ],
    });
  });

  it('names the portal column of what it cannot read, and imports nothing', () => {
    const csv = [
      PORTAL_HEADER,
      '1,1.001193,Đăng ký khai sinh,Hộ tịch,Cấp Huyện,Theo quy định,Theo biểu phí,Toàn trình,x',
      '2,1.004194,Đăng ký tạm trú,Cư trú,Cấp Xã,3 ngày làm việc,0,Toàn trình,x',
      '3,1.0,Sai mã,Thử,Cấp Xã,3 ngày làm việc,0,,x',
    ].join('\n');
    const result = parseProcedureCsv(csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.messages).toEqual([
      'line 2, column cấp thực hiện: names neither Cấp Xã nor Cấp Tỉnh',
      'line 2, column thời hạn giải quyết: no time recognised (e.g. "03 ngày làm việc", "8 giờ làm việc", "Trong ngày")',
      'line 2, column phí, lệ phí: no amount in đồng recognised (e.g. "50.000 đồng")',
    ]);
    // Once the portal's text is read, this service's rules apply, named by its own columns.
    const bad = parseProcedureCsv([PORTAL_HEADER, '3,1.0,Sai mã,Thử,Cấp Xã,3 ngày làm việc,0,,x'].join('\n'));
    expect(bad.ok || bad.messages[0]).toMatch(/^line 2, column code: expected a national code/);
  });

  it('refuses a portal header without its required columns or with a column twice', () => {
    const missing = parseProcedureCsv('Mã thủ tục,Tên thủ tục\n1.001193,Đăng ký khai sinh');
    expect(missing.ok || missing.messages).toEqual([
      'line 1, column lĩnh vực: missing column',
      'line 1, column cấp thực hiện: missing column',
      'line 1, column thời hạn giải quyết: missing column',
    ]);
    const twice = parseProcedureCsv(
      'Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết,Mức độ,Dịch vụ công trực tuyến\n',
    );
    expect(twice.ok || twice.messages).toEqual([
      'line 1, column dịch vụ công trực tuyến: says the same as column "mức độ"',
    ]);
  });

  it('reads the portal free text', () => {
    expect(portalLevel('Cấp Xã')).toBe('commune');
    expect(portalLevel('CẤP TỈNH')).toBe('city');
    expect(portalLevel('Cấp Huyện')).toBeUndefined();
    expect(portalTime('Trong ngày')).toEqual({ unit: 'same-day', value: '' });
    expect(portalTime('Ngay trong ngày; trường hợp phải xác minh không quá 03 ngày làm việc')).toEqual({
      unit: 'same-day',
      value: '',
    });
    expect(portalTime('10 ngày làm việc')).toEqual({ unit: 'working-days', value: '10' });
    expect(portalOnlineLevel('Dịch vụ công trực tuyến toàn trình')).toBe('full');
    expect(portalOnlineLevel('Mức độ 2')).toBe('none');
    expect(portalFee('Lệ phí: 1.000.000 đồng')).toBe(1_000_000);
    expect(portalFee('50,000 VNĐ')).toBe(50_000);
    expect(portalFee('Miễn phí')).toBe(0);
    expect(portalFee('Theo biểu phí')).toBeUndefined();
  });
});
