import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { derToJoseSignature } from './jws';

describe('derToJoseSignature', () => {
  it("turns ECDSA DER signatures into JOSE's 64-byte r||s that node verifies as ieee-p1363", () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 50; i += 1) {
      const data = Buffer.from(`message ${i}`);
      const jose = derToJoseSignature(sign('sha256', data, privateKey));
      expect(jose).toHaveLength(64);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, jose)).toBe(true);
    }
  });
});
