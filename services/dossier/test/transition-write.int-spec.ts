import { DataSource } from 'typeorm';
import { startDossierTestApp, type DossierTestApp } from './support/dossier-test-app';

const WARD_A = '00070'; // Phường Hoàn Kiếm
const RESIDENCE = '1.004194'; // Đăng ký tạm trú: 3 working days, fee 15,000, no signature

/**
 * A transition is two statements that commit by themselves (read with the Idempotency-Key's claim,
 * then one guarded write): what the locked transaction guaranteed still holds, through HTTP on the
 * real database.
 */
describe('a dossier transition in one write statement', () => {
  let t: DossierTestApp;
  let officer: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startDossierTestApp();
    officer = await t.token('0198a000-0000-7000-8000-0000000000c1', ['officer'], [WARD_A]);
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });

  async function newDossier(): Promise<{ id: string; version: number }> {
    const created = await post('/dossiers', {
      unitCode: WARD_A,
      procedureCode: RESIDENCE,
      channel: 'direct',
      digitised: true,
      applicant: { fullName: 'Nguyễn Văn An', nationalId: '001099012345', phone: '0912345678' },
      attachments: [
        { name: 'to-khai.pdf', mediaType: 'application/pdf', sizeBytes: 1_000, sha256: 'a'.repeat(64) },
      ],
    });
    expect(created.statusCode).toBe(201);
    return created.json();
  }

  /** What a change writes beside the row: history rows, outbox events, audit records of the dossier. */
  // Changes audited: a refused attempt is audited too (its own record, outcome rejected), and whether
  // it names the dossier depends on which check refused it first, so only successful changes count.
  async function written(id: string): Promise<{ history: number; events: number; audits: number }> {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM dossier_history WHERE dossier_id = $1) AS history,
              (SELECT count(*)::int FROM outbox WHERE message_key = $1::text) AS events,
              (SELECT count(*)::int FROM platform_audit_log WHERE target_id = $1::text AND outcome = 'succeeded') AS audits`,
      [id],
    );
    return row;
  }

  it('of two concurrent transitions with the same expected version answers one 200 and one 409, and writes once', async () => {
    const dossier = await newDossier();
    const before = await written(dossier.id);
    const answers = await Promise.all([
      post(
        `/dossiers/${dossier.id}/start-processing`,
        { expectedVersion: dossier.version },
        { 'idempotency-key': 'race-1' },
      ),
      post(
        `/dossiers/${dossier.id}/start-processing`,
        { expectedVersion: dossier.version },
        { 'idempotency-key': 'race-2' },
      ),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    const loser = answers.find((answer) => answer.statusCode === 409)!;
    expect(loser.json()).toMatchObject({
      status: 409,
      type: 'urn:backbone:problem:dossier-version-conflict',
    });
    const winner = answers.find((answer) => answer.statusCode === 200)!;
    expect(winner.json()).toMatchObject({ status: 'processing', version: dossier.version + 1 });

    expect(await written(dossier.id)).toEqual({
      history: before.history + 1,
      events: before.events + 1,
      audits: before.audits + 1,
    });
    // The loser's key was released (its retry runs again); the winner's holds its answer.
    const keys: { idempotency_key: string; state: string; response_status: number }[] =
      await dataSource.query(
        `SELECT idempotency_key, state, response_status FROM platform_idempotency_keys
       WHERE idempotency_key IN ('race-1', 'race-2')`,
      );
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ state: 'completed', response_status: 200 });
  });

  it('of many concurrent transitions of one dossier from the same version lets exactly one through', async () => {
    const dossier = await newDossier();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(`/dossiers/${dossier.id}/start-processing`, { expectedVersion: dossier.version }),
      ),
    );
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.statusCode === 409)).toHaveLength(7);
    const history: { action: string }[] = await dataSource.query(
      `SELECT action FROM dossier_history WHERE dossier_id = $1 ORDER BY version`,
      [dossier.id],
    );
    expect(history.map((entry) => entry.action)).toEqual(['receive', 'start-processing']);
  });

  it('replays a transition retried with its Idempotency-Key: the first answer, written once', async () => {
    const dossier = await newDossier();
    const url = `/dossiers/${dossier.id}/start-processing`;
    const first = await post(url, { expectedVersion: dossier.version }, { 'idempotency-key': 'move-1' });
    expect(first.statusCode).toBe(200);
    const after = await written(dossier.id);

    const retry = await post(url, { expectedVersion: dossier.version }, { 'idempotency-key': 'move-1' });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await written(dossier.id)).toEqual(after);

    // The same key for another request is refused; the dossier is unchanged.
    const reused = await post(url, { expectedVersion: dossier.version + 1 }, { 'idempotency-key': 'move-1' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ type: 'urn:backbone:problem:idempotency-key-reused' });
    expect(await written(dossier.id)).toEqual(after);

    // A refused transition releases its key: once the request is right, the same key runs it.
    const refused = await post(
      `/dossiers/${dossier.id}/request-payment`,
      { expectedVersion: dossier.version },
      { 'idempotency-key': 'move-2' },
    );
    expect(refused.statusCode).toBe(409);
    const [released] = await dataSource.query(
      `SELECT count(*)::int AS n FROM platform_idempotency_keys WHERE idempotency_key = 'move-2'`,
    );
    expect(released.n).toBe(0);
  });

  it('answers 404 for a dossier that does not exist, and keeps no claim of its key', async () => {
    const missing = await post(
      '/dossiers/0198a000-0000-7000-8000-00000000dead/start-processing',
      { expectedVersion: 1 },
      { 'idempotency-key': 'missing-1' },
    );
    expect(missing.statusCode).toBe(404);
    const [kept] = await dataSource.query(
      `SELECT count(*)::int AS n FROM platform_idempotency_keys WHERE idempotency_key = 'missing-1'`,
    );
    expect(kept.n).toBe(0);
  });
});
