import {
  type AuditLink,
  AuditChainVerifier,
  GENESIS_HASH,
  hashAuditLink,
  verifyAuditChain,
} from './audit-chain';

function chainOf(count: number): AuditLink[] {
  const links: AuditLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let index = 1; index <= count; index += 1) {
    const link: Omit<AuditLink, 'hash'> = {
      seq: String(index),
      id: `0190a0b0-0000-7000-8000-${String(index).padStart(12, '0')}`,
      occurredAt: new Date(Date.UTC(2025, 6, 1, 8, 0, index)),
      actorSubject: 'officer-1',
      actorRoles: 'officer',
      actorUnits: '00070',
      unitCode: '00070',
      action: 'dossier.receive',
      targetType: 'dossier',
      targetId: `D-${index}`,
      requestId: `req-${index}`,
      correlationId: `req-${index}`,
      outcome: 'succeeded',
      prevHash,
    };
    const hash = hashAuditLink(link);
    links.push({ ...link, hash });
    prevHash = hash;
  }
  return links;
}

describe('audit hash chain', () => {
  it('reports an untouched chain as intact', () => {
    expect(verifyAuditChain(chainOf(5))).toEqual({ intact: true, checked: 5 });
    expect(verifyAuditChain([])).toEqual({ intact: true, checked: 0 });
  });

  it('names the altered row as the first broken link', () => {
    const links = chainOf(6);
    links[3] = { ...links[3], outcome: 'denied' };
    expect(verifyAuditChain(links)).toEqual({
      intact: false,
      checked: 3,
      brokenAtSeq: '4',
      reason: expect.stringMatching(/altered/),
    });
  });

  it('detects an altered row whose hash was recomputed: the next link no longer chains to it', () => {
    const links = chainOf(6);
    const forged = { ...links[2], actorSubject: 'someone-else' };
    links[2] = { ...forged, hash: hashAuditLink(forged) };
    expect(verifyAuditChain(links)).toMatchObject({
      intact: false,
      brokenAtSeq: '4',
      reason: expect.stringMatching(/prev_hash/),
    });
  });

  it('detects a removed row and a changed time', () => {
    const links = chainOf(5);
    expect(verifyAuditChain([...links.slice(0, 2), ...links.slice(3)])).toMatchObject({
      intact: false,
      brokenAtSeq: '4',
      reason: expect.stringMatching(/removed/),
    });
    const retimed = chainOf(3);
    retimed[0] = { ...retimed[0], occurredAt: new Date(retimed[0].occurredAt.getTime() + 1) };
    expect(verifyAuditChain(retimed)).toMatchObject({ intact: false, brokenAtSeq: '1' });
  });

  it('names the position whose record is gone when the chain still points to it', () => {
    const verifier = new AuditChainVerifier();
    const links = chainOf(3);
    expect(verifier.push(links[0])).toBe(true);
    expect(verifier.recordMissing('2')).toBe(false);
    expect(verifier.report()).toEqual({
      intact: false,
      checked: 1,
      brokenAtSeq: '2',
      reason: expect.stringMatching(/removed/),
    });
  });
});
