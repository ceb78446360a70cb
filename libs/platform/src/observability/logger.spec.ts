import { QueryFailedError } from 'typeorm';
import { createPlatformLogger } from './logger';

/** Finding 8: personal data and statement parameters never reach a log line, at any depth. */
describe('platform logger redaction', () => {
  function capture() {
    const lines: string[] = [];
    const logger = createPlatformLogger({
      service: 'test',
      level: 'debug',
      destination: { write: (line: string) => void lines.push(line) },
    });
    return { logger, lines };
  }

  it('never logs the parameters of a failed query', () => {
    const { logger, lines } = capture();
    const error = new QueryFailedError(
      'INSERT INTO dossier_attachments (name, ciphertext) VALUES ($1, $2)',
      ['giay-khai-sinh-Nguyen-Van-An.pdf', 'v1.k1.secret-ciphertext'],
      new Error('duplicate key value violates unique constraint'),
    );
    logger.error({ err: error, msg: 'request failed' });
    logger.error({ nested: { failure: error } }, 'failed again');
    const text = lines.join('\n');
    expect(text).toContain('duplicate key value');
    expect(text).not.toContain('Nguyen-Van-An');
    expect(text).not.toContain('secret-ciphertext');
  });

  it('redacts personal fields at any depth', () => {
    const { logger, lines } = capture();
    logger.info({ a: { b: { c: { d: { nationalId: '001099012345', list: [{ phone: '0912345678' }] } } } } });
    const text = lines.join('\n');
    expect(text).not.toContain('001099012345');
    expect(text).not.toContain('0912345678');
    expect(text).toContain('[redacted]');
  });
});
