import { csvCell, toCsv } from './csv';

describe('CSV export (finding 5, OWASP CSV injection)', () => {
  it('neutralises text cells that a spreadsheet would read as a formula', () => {
    for (const attack of ['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvCell(attack).replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('=cmd|"/c calc"!A1')).toBe(`"'=cmd|""/c calc""!A1"`);
  });

  it('leaves ordinary text and numbers (also negative ones) as they are', () => {
    expect(csvCell('Phường Hoàn Kiếm')).toBe('Phường Hoàn Kiếm');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
  });

  it('writes a header and CRLF lines', () => {
    expect(toCsv([{ unitCode: '00070', name: '=evil()', value: -1 }])).toBe(
      "unitCode,name,value\r\n00070,'=evil(),-1\r\n",
    );
  });
});
