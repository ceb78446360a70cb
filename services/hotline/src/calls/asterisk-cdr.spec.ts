import { agentOf, parseAsteriskCdr } from './asterisk-cdr';

const line = (fields: Partial<Record<string, string>>, columns = 18) =>
  [
    '',
    fields.src ?? '0912345678',
    fields.dst ?? '1022',
    'from-pstn',
    '"Nguyen Van A" <0912345678>',
    'PJSIP/trunk-00000001',
    fields.dstchannel ?? 'PJSIP/agent-1012-0000002a',
    fields.lastapp ?? 'Queue',
    fields.lastdata ?? 'hotline1022,t,,,300',
    fields.start ?? '2026-07-01 08:00:05',
    fields.answer ?? '2026-07-01 08:00:20',
    fields.end ?? '2026-07-01 08:04:20',
    fields.duration ?? '255',
    fields.billsec ?? '240',
    fields.disposition ?? 'ANSWERED',
    'DOCUMENTATION',
    fields.uniqueid ?? '1751331605.17',
    fields.userfield ?? '',
  ]
    .slice(0, columns)
    .map((value) => (value.includes(',') || value.includes('"') ? `"${value.replace(/"/g, '""')}"` : value))
    .join(',');

describe('Asterisk CDR CSV', () => {
  it('reads the columns it documents, times in Hanoi time', () => {
    const { records, problems } = parseAsteriskCdr(`${line({})}\n`);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        uniqueId: '1751331605.17',
        callerNumber: '0912345678',
        line: '1022',
        startedAt: new Date('2026-07-01T01:00:05Z'),
        answeredAt: new Date('2026-07-01T01:00:20Z'),
        endedAt: new Date('2026-07-01T01:04:20Z'),
        durationSeconds: 255,
        billableSeconds: 240,
        queue: 'hotline1022',
        agent: 'agent-1012',
        disposition: 'answered',
      },
    ]);
    // clid (the caller's name) is never read.
    expect(JSON.stringify(records)).not.toContain('Nguyen');
  });

  it('maps dispositions: abandoned, voicemail, transferred', () => {
    const { records } = parseAsteriskCdr(
      [
        line({ uniqueid: 'a', disposition: 'NO ANSWER', answer: '', billsec: '0' }),
        line({ uniqueid: 'b', disposition: 'BUSY', answer: '', billsec: '0' }),
        line({ uniqueid: 'c', lastapp: 'VoiceMail', lastdata: '1022@default' }),
        line({ uniqueid: 'd', lastapp: 'Transfer', lastdata: 'PJSIP/1500' }),
        line({ uniqueid: 'e', userfield: 'transferred' }),
      ].join('\n'),
    );
    expect(records.map((r) => [r.uniqueId, r.disposition, r.answeredAt])).toEqual([
      ['a', 'abandoned', null],
      ['b', 'abandoned', null],
      ['c', 'voicemail', expect.any(Date)],
      ['d', 'transferred', expect.any(Date)],
      ['e', 'transferred', expect.any(Date)],
    ]);
  });

  it('gives a line without uniqueid the same id every time', () => {
    const text = line({}, 16);
    const first = parseAsteriskCdr(text).records[0]!.uniqueId;
    expect(first).toMatch(/^cdr-[0-9a-f]{32}$/);
    expect(parseAsteriskCdr(text).records[0]!.uniqueId).toBe(first);
  });

  it('refuses the whole file, naming each bad line', () => {
    const { records, problems } = parseAsteriskCdr(
      [line({}), line({ start: '01/07/2026 08:00' }), 'a,b,c'].join('\n'),
    );
    expect(records).toEqual([]);
    expect(problems).toEqual([
      { line: 2, reason: 'start is not YYYY-MM-DD HH:MM:SS' },
      { line: 3, reason: 'has 3 columns, needs at least 15' },
    ]);
  });

  it('reads UTC files when the PBX logs in GMT', () => {
    expect(parseAsteriskCdr(line({}), { timeZone: 'utc' }).records[0]!.startedAt).toEqual(
      new Date('2026-07-01T08:00:05Z'),
    );
  });

  it('reads fields quoted as Asterisk writes them, and refuses text that is not CSV', () => {
    const asterisk =
      '"","0912345678","1022","from-pstn","""Nguyen Van A"" <0912345678>","PJSIP/trunk-00000001",' +
      '"PJSIP/agent-1012-0000002a","Queue","hotline1022,t,,,300","2026-07-01 08:00:05","2026-07-01 08:00:20",' +
      '"2026-07-01 08:04:20","255","240","ANSWERED","DOCUMENTATION","1751331605.17",""';
    expect(parseAsteriskCdr(asterisk)).toMatchObject({
      problems: [],
      records: [{ uniqueId: '1751331605.17', queue: 'hotline1022' }],
    });
    expect(parseAsteriskCdr('"a"b,c').problems[0]!.reason).toMatch(/^not CSV/);
  });

  it('names the agent from the destination channel', () => {
    expect(agentOf('SIP/1012-00000001')).toBe('1012');
    expect(agentOf('')).toBeNull();
  });
});
