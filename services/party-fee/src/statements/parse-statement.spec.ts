import { camt053 } from '../../test/builders/statements';
import { parseCamt053, parseStatementCsv, referenceIn, StatementFormatError } from './parse-statement';

describe('camt.053', () => {
  it('reads the account and the credit lines with their references', () => {
    const parsed = parseCamt053(
      camt053('0011004567890', [
        {
          ref: 'FT26041001',
          amount: 85000,
          day: '2026-02-10',
          text: 'NGUYEN VAN A CK PFABCDEFGHJKLMN234 dang phi',
        },
        { ref: 'FT26041002', amount: 12000, day: '2026-02-10', text: 'phi ngan hang', credit: false },
        { ref: 'FT26041003', amount: 5000, day: '2026-02-10', text: 'no reference here' },
      ]),
    );
    expect(parsed.account).toBe('0011004567890');
    expect(parsed.statementReference).toBe('STMT-2026-02-10');
    expect(parsed.lines).toEqual([
      {
        lineKey: 'ref:FT26041001',
        bookedOn: '2026-02-10',
        amountVnd: 85000,
        reference: 'PFABCDEFGHJKLMN234',
      },
      { lineKey: 'ref:FT26041003', bookedOn: '2026-02-10', amountVnd: 5000, reference: '' },
    ]);
  });

  it('refuses a DTD (no XXE, no entity expansion), malformed XML, other currencies and fractions', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>`;
    expect(() => parseCamt053(xxe)).toThrow(StatementFormatError);
    expect(() => parseCamt053('<Document><BkToCstmrStmt>')).toThrow(StatementFormatError);
    const usd = camt053('1', [{ ref: 'A', amount: 1, day: '2026-02-10', text: '' }]).replace(
      'Ccy="VND">1<',
      'Ccy="USD">1<',
    );
    expect(() => parseCamt053(usd)).toThrow(/not VND/);
    const cents = camt053('1', [{ ref: 'A', amount: 1, day: '2026-02-10', text: '' }]).replace(
      '>1</Amt>',
      '>1.25</Amt>',
    );
    expect(() => parseCamt053(cents)).toThrow(/whole VND/);
    expect(() => parseCamt053('x'.repeat(900_001))).toThrow(/longer/);
  });
});

describe('the CSV layout', () => {
  it('reads date, amount, description and transaction id; skips debits', () => {
    const csv =
      'date,amount,description,transaction_id\n2026-02-10,85000,CK DPABCDEFGHJKLMN234,T1\n2026-02-10,-1000,fee,T2\n';
    expect(parseStatementCsv(csv, '0011').lines).toEqual([
      { lineKey: 'ref:T1', bookedOn: '2026-02-10', amountVnd: 85000, reference: 'DPABCDEFGHJKLMN234' },
    ]);
    expect(() => parseStatementCsv('date,amount\n2026-02-10,1\n', '1')).toThrow(/description/);
  });

  it('finds a reference in any case inside the transfer text', () => {
    expect(referenceIn('ck pfabcdefghjklmn234 thang 2')).toBe('PFABCDEFGHJKLMN234');
    expect(referenceIn('PF123')).toBe('');
  });
});
