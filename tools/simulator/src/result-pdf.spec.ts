import { resultPdf } from './result-pdf';

describe('resultPdf', () => {
  it('writes a PDF whose cross-reference table points at each object', () => {
    const pdf = resultPdf(['Ket qua ho so 000.00.70.H26-261130-0001', 'Phuong (Hoan Kiem)']);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.7\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const entries = text.slice(startxref).split('\n').slice(3, 8);
    entries.forEach((entry, index) => {
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset, offset + 8)).toBe(`${index + 1} 0 obj\n`);
    });
    expect(text).toContain('(Phuong \\(Hoan Kiem\\)) Tj');
  });
});
