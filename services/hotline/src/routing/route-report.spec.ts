import { routeReport } from './route-report';
import { GeoJsonUnitBoundaries } from './unit-boundaries';
import { foldVietnamese, normaliseAddress } from './vietnamese-text';

describe('routing a report to its commune or ward', () => {
  it('matches unit names without tone marks or case, either tone placement', () => {
    expect(foldVietnamese('PHƯỜNG HÒA BÌNH')).toBe(foldVietnamese('phường hoà bình'));
    expect(routeReport({ address: 'Số 12 ngõ 5, phuong yen hoa, Hà Nội' })).toEqual({
      kind: 'routed',
      unitCode: expect.any(String),
      method: 'address',
    });
    const viaTone = routeReport({ address: 'Ngõ 5, Phường Yên Hòa' });
    const viaOther = routeReport({ address: 'Ngõ 5, PHƯỜNG YÊN HOÀ' });
    expect(viaTone).toEqual(viaOther);
  });

  it('reads the P. and X. prefixes (with or without a space)', () => {
    expect(routeReport({ address: '5 Đinh Tiên Hoàng, P. Hoàn Kiếm' })).toEqual({
      kind: 'routed',
      unitCode: '00070',
      method: 'address',
    });
    expect(routeReport({ address: 'thôn 3, X.Phúc Thịnh, Hà Nội' })).toEqual({
      kind: 'routed',
      unitCode: '00466',
      method: 'address',
    });
    expect(routeReport({ address: 'P.Tây Hồ' })).toEqual({
      kind: 'routed',
      unitCode: '00103',
      method: 'address',
    });
  });

  it('maps a pre-reform ward merged whole to today’s unit (reference data)', () => {
    expect(routeReport({ address: 'Số 5 Hàng Bạc, P. Hàng Bạc, Q. Hoàn Kiếm, Hà Nội' })).toEqual({
      kind: 'routed',
      unitCode: '00070',
      method: 'former-name',
    });
    expect(routeReport({ address: 'phuong quang an, quan tay ho' })).toMatchObject({
      unitCode: '00103',
      method: 'former-name',
    });
  });

  it('does not take an old district ("Q. Hoàn Kiếm") for today’s ward of the same name', () => {
    expect(routeReport({ address: 'Số 9 phố X, Q. Hoàn Kiếm' })).toMatchObject({ kind: 'unresolved' });
  });

  it('refuses a place outside Hanoi, with the reason', () => {
    expect(routeReport({ address: '12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh' })).toEqual({
      kind: 'outside-hanoi',
      reason: 'the address is in ho chi minh, not in Hanoi',
    });
    expect(routeReport({ lat: 10.7769, long: 106.7009 })).toMatchObject({ kind: 'outside-hanoi' });
  });

  it('leaves the choice to the agent when the place names no unit', () => {
    expect(routeReport({ address: 'gần chợ' })).toMatchObject({ kind: 'unresolved' });
    expect(routeReport({ address: 'gần chợ', chosenUnitCode: '00103' })).toEqual({
      kind: 'routed',
      unitCode: '00103',
      method: 'chosen',
    });
    // The address wins over the choice when it names a unit.
    expect(routeReport({ address: 'P. Hoàn Kiếm', chosenUnitCode: '00103' })).toMatchObject({
      unitCode: '00070',
    });
  });

  it('places coordinates by point-in-polygon when boundaries are configured', () => {
    const square = (code: string, west: number, south: number) => ({
      type: 'Feature' as const,
      properties: { code },
      geometry: {
        type: 'Polygon' as const,
        coordinates: [
          [
            [west, south],
            [west + 0.01, south],
            [west + 0.01, south + 0.01],
            [west, south + 0.01],
            [west, south],
          ],
        ],
      },
    });
    const boundaries = new GeoJsonUnitBoundaries({
      type: 'FeatureCollection',
      features: [square('00070', 105.85, 21.02), square('00103', 105.82, 21.06)],
    });
    expect(routeReport({ lat: 21.025, long: 105.855, address: 'P. Tây Hồ' }, boundaries)).toEqual({
      kind: 'routed',
      unitCode: '00070',
      method: 'boundary',
    });
    expect(routeReport({ lat: 21.065, long: 105.825 }, boundaries)).toMatchObject({ unitCode: '00103' });
    expect(routeReport({ lat: 21.5, long: 105.9 }, boundaries)).toMatchObject({ kind: 'outside-hanoi' });
  });

  it('normalises addresses for duplicate matching', () => {
    expect(normaliseAddress('Số 5 Hàng Bạc, P. Hàng Bạc, Hà Nội')).toBe(
      normaliseAddress('so 5 hang bac,  phuong HANG BAC'),
    );
  });
});
