// The demo's signing load (issue 13, ADR 0012): for a dossier whose result must be signed, the
// specialist uploads a result PDF (the dossier is resolved with its hash); the unit's demo signer
// finds the dossier's task, opens the document, starts a signing session, confirms it with a TOTP
// code from its authenticator (one code for every session it started meanwhile, as a signer works
// through their queue), and hands the signed PDF back to the dossier service, so that the officer
// can return the result. One demo signer per unit, enrolled on first use (a
// certificate from the city CA, a TOTP second factor through the API); their secrets are kept in
// .data/demo-signers.json so that the next run signs as the same people.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Agent } from 'undici';
import { ApiClient, ApiError, type RequestStats } from './api-client';
import type { DemoTokens } from './dev-tokens';
import { resultPdf } from './result-pdf';
import { base32Decode, TotpSigner } from './totp-client';

interface DemoSignersFile {
  /** Makes the signers' staff ids of this installation (a fresh one when a signer's secret is lost). */
  nonce: string;
  /** Base32 TOTP secret per unit code. */
  secrets: Record<string, string>;
}

interface Dossier {
  id: string;
  code: string;
  version: number;
  status: string;
}

/** Sessions one code confirms at most (the signing service's limit). */
const MAX_SESSIONS_PER_CONFIRMATION = 50;
/** Signatures a unit's signer takes before the unit's next signer (when it has several) joins in. */
const SIGNATURES_BEFORE_NEXT_SIGNER = 8;
/** How long one signature may take end to end (the task appearing, the TOTP steps, the hand-over). */
const SIGNING_DEADLINE_MS = 180_000;
const SECOND_FACTOR_REFUSED = 'urn:backbone:problem:signing:second-factor-refused';

export class DemoSigning {
  readonly signing: ApiClient;
  private readonly clients = new Map<string, ApiClient>();
  private readonly signers = new Map<string, Promise<{ subject: string; totp: TotpSigner } | undefined>>();
  /**
   * Sessions each signer has started and not yet confirmed: each TOTP step is accepted once, so the
   * signer confirms all of them with the next step's code (up to 50 at a time).
   */
  private readonly unconfirmed = new Map<string, PendingConfirmations>();
  /** Signatures handed out per unit, to deal them round the unit's signers. */
  private readonly dealt = new Map<string, number>();
  private state: DemoSignersFile;
  completed = 0;
  failed = 0;

  constructor(
    signingUrl: string,
    private readonly dossiers: ApiClient,
    private readonly tokens: DemoTokens,
    private readonly stats: RequestStats,
    private readonly signal: AbortSignal,
    private readonly stateFile = resolve(__dirname, '../../..', '.data', 'demo-signers.json'),
    /**
     * Signers per unit. A TOTP step (30 s) signs once per signer, so one signer signs at most two
     * results a minute: the city's 15 days (hundreds of signed results a unit) needs several.
     */
    private readonly signersPerUnit = 1,
    /**
     * Each demo signer calls the signing service from its own loopback address (127.1.x.y), as each
     * official signs at their own workstation: the service's per-client limits (second factor
     * 10 a minute, confirmations 20 a minute) then apply per signer, not to the whole demo at once.
     */
    private readonly ownAddresses = false,
  ) {
    this.signing = new ApiClient(signingUrl, stats, { signal });
    this.state = existsSync(stateFile)
      ? (JSON.parse(readFileSync(stateFile, 'utf8')) as DemoSignersFile)
      : { nonce: randomBytes(2).toString('hex').slice(0, 3), secrets: {} };
  }

  /** Uploads the result PDF of a dossier whose result must be signed: the dossier is resolved with its hash. */
  async resolveWithResult(dossier: Dossier, unitCode: string, idempotencyKey: string): Promise<Dossier> {
    const pdf = resultPdf([
      `UBND ${unitCode} - Ket qua giai quyet ho so ${dossier.code}`,
      'Trich luc / giay chung nhan (demo)',
    ]);
    const { body } = await this.dossiers.request<Dossier>(
      'POST',
      `/dossiers/${dossier.id}/result-document`,
      await this.tokens.officer(unitCode),
      { expectedVersion: dossier.version, contentBase64: pdf.toString('base64') },
      idempotencyKey,
    );
    return body;
  }

  /**
   * Signs the dossier's result as the unit's demo signer and hands the signed PDF to the dossier
   * service. True when the signed result is stored there (return-result may follow).
   */
  async signResult(dossierId: string, unitCode: string): Promise<boolean> {
    const turn = this.dealt.get(unitCode) ?? 0;
    this.dealt.set(unitCode, turn + 1);
    // A unit's next signer joins only after eight signatures: enrolling one is throttled (10 a minute
    // per client), so a unit with few signed results keeps its one signer.
    const seat = Math.floor(turn / SIGNATURES_BEFORE_NEXT_SIGNER) % this.signersPerUnit;
    try {
      const done = await this.signOne(dossierId, unitCode, seat);
      if (done) this.completed += 1;
      else this.failed += 1;
      return done;
    } catch (error) {
      this.failed += 1;
      throw error;
    }
  }

  private async signOne(dossierId: string, unitCode: string, seat: number): Promise<boolean> {
    const signer = await this.signerFor(unitCode, seat);
    if (!signer) return false;
    const token = await this.tokens.signer(unitCode, signer.subject);
    const client = this.clientOf(unitCode, seat);
    const deadline = Date.now() + SIGNING_DEADLINE_MS;
    const task = await this.until(deadline, async () => {
      const { body } = await client.request<{ items: { id: string; dossierId: string }[] }>(
        'GET',
        `/signature-tasks?unit=${unitCode}&dossierId=${dossierId}`,
        token,
      );
      return body.items[0];
    });
    if (!task) return false;
    const document = await this.fetchBytes(
      this.dossiers.baseUrl,
      `/dossiers/${dossierId}/result-document`,
      token,
    );
    const session = await client.request<{ signatureId: string }>(
      'POST',
      `/signature-tasks/${task.id}/sessions`,
      token,
      { contentBase64: document.toString('base64') },
      `demo-sign-${task.id}`,
    );
    const { signatureId } = session.body;
    await this.confirmWithNextCode(signerKey(unitCode, seat), client, unitCode, signer, signatureId);
    const signed = await this.fetchBytes(
      this.signing.baseUrl,
      `/signing-sessions/${signatureId}/signed-document`,
      token,
    );
    // The dossier service keeps it once it has consumed signature.completed (409 until then).
    const stored = await this.until(deadline, async () => {
      try {
        await this.dossiers.request(
          'POST',
          `/dossiers/${dossierId}/signed-result`,
          token,
          { contentBase64: signed.toString('base64') },
          `demo-signed-${signatureId}`,
        );
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) return undefined;
        throw error;
      }
    });
    return stored === true;
  }

  /** Resolves once the session is signed, with the signer's next code and the sessions started meanwhile. */
  private confirmWithNextCode(
    key: string,
    client: ApiClient,
    unitCode: string,
    signer: { subject: string; totp: TotpSigner },
    signatureId: string,
  ): Promise<void> {
    let pending = this.unconfirmed.get(key);
    if (!pending) {
      pending = { sessions: [], confirming: false };
      this.unconfirmed.set(key, pending);
    }
    const batch = pending;
    return new Promise<void>((resolve, reject) => {
      batch.sessions.push({ signatureId, resolve, reject });
      if (batch.confirming) return;
      batch.confirming = true;
      void this.confirmPending(batch, client, unitCode, signer).finally(() => {
        batch.confirming = false;
      });
    });
  }

  private async confirmPending(
    batch: PendingConfirmations,
    client: ApiClient,
    unitCode: string,
    signer: { subject: string; totp: TotpSigner },
  ): Promise<void> {
    while (batch.sessions.length > 0) {
      // Waiting for a fresh step is when the sessions started meanwhile join this confirmation.
      const code = await signer.totp.nextCode();
      const taken = batch.sessions.splice(0, MAX_SESSIONS_PER_CONFIRMATION);
      try {
        const token = await this.tokens.signer(unitCode, signer.subject);
        await this.confirm(client, taken, token, signer.totp, code);
        for (const session of taken) session.resolve();
      } catch (error) {
        for (const session of taken) session.reject(error);
      }
    }
  }

  /**
   * Confirms the sessions with the authenticator's code. A code refused as wrong is typed again from the
   * next step, as a person would: on a loaded machine a request can reach the service after its code's
   * step (and the one step of drift allowed) has passed. The service refuses after a few wrong codes.
   */
  private async confirm(
    client: ApiClient,
    sessions: PendingSession[],
    token: string,
    totp: TotpSigner,
    firstCode: string,
  ): Promise<void> {
    const sessionIds = sessions.map((session) => session.signatureId);
    let code = firstCode;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.request(
          'POST',
          '/signing-sessions/confirmations',
          token,
          { sessionIds, code },
          `demo-confirm-${sessionIds[0]}-${sessionIds.length}-${attempt}`,
        );
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.problemType === SECOND_FACTOR_REFUSED) || attempt >= 3)
          throw error;
        code = await totp.nextCode();
      }
    }
  }

  /** A demo signer of the unit, enrolled on first use: certificate, then TOTP (enrol + activate). */
  private signerFor(unitCode: string, seat: number) {
    const key = signerKey(unitCode, seat);
    let signer = this.signers.get(key);
    if (!signer) {
      signer = this.enrol(unitCode, seat);
      this.signers.set(key, signer);
    }
    return signer;
  }

  private async enrol(
    unitCode: string,
    seat: number,
  ): Promise<{ subject: string; totp: TotpSigner } | undefined> {
    const key = signerKey(unitCode, seat);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      // Seat 0 is the unit's first signer as before (its staff id unchanged); the seat is the id's first hex digit.
      const subject = `0198a000-0000-7000-a${this.state.nonce}-${seat.toString(16)}${unitCode.padStart(11, '0').slice(-11)}`;
      const token = await this.tokens.signer(unitCode, subject);
      await issueDemoCertificate(this.signing, await this.tokens.cityReader(), subject, unitCode);
      const known = this.state.secrets[key];
      try {
        const { body } = await this.clientOf(unitCode, seat).request<{ secret: string }>(
          'POST',
          '/signers/me/second-factor',
          token,
          {},
          `demo-enrol-${subject}-${Date.now()}`,
        );
        const totp = new TotpSigner(base32Decode(body.secret));
        await this.activate(this.clientOf(unitCode, seat), token, subject, totp);
        this.state.secrets[key] = body.secret;
        this.save();
        return { subject, totp };
      } catch (error) {
        const active = error instanceof ApiError && error.status === 409;
        if (!active) throw error;
        if (known) return { subject, totp: new TotpSigner(base32Decode(known)) };
        // Active, but its secret is not here (another checkout enrolled it): new demo people.
        this.state = { nonce: randomBytes(2).toString('hex').slice(0, 3), secrets: {} };
      }
    }
    return undefined;
  }

  /** Activates the enrolled second factor; a code refused as wrong is typed again from the next step. */
  private async activate(client: ApiClient, token: string, subject: string, totp: TotpSigner): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const at = new Date();
      try {
        await client.request(
          'POST',
          '/signers/me/second-factor/activate',
          token,
          { code: totp.codeAt(at) },
          `demo-activate-${subject}-${at.getTime()}`,
        );
        totp.used(at);
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.problemType === SECOND_FACTOR_REFUSED) || attempt >= 3)
          throw error;
        totp.used(at);
        await totp.nextCode();
      }
    }
  }

  /** The signer's own client (its own loopback address) with ownAddresses; the shared one otherwise. */
  private clientOf(unitCode: string, seat: number): ApiClient {
    if (!this.ownAddresses) return this.signing;
    const key = signerKey(unitCode, seat);
    let client = this.clients.get(key);
    if (!client) {
      const n = this.clients.size;
      const localAddress = `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      client = new ApiClient(this.signing.baseUrl, this.stats, {
        signal: this.signal,
        dispatcher: new Agent({
          // undici's connect options do not take a local address: its own socket, bound to one.
          connect: (options, callback) => {
            const socket = connect({ host: options.hostname, port: Number(options.port), localAddress });
            socket.once('connect', () => callback(null, socket));
            socket.once('error', (error) => callback(error, null));
            return socket;
          },
        }),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private save(): void {
    mkdirSync(dirname(this.stateFile), { recursive: true });
    writeFileSync(this.stateFile, `${JSON.stringify(this.state, null, 2)}\n`, { mode: 0o600 });
  }

  private async until<T>(deadline: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
    while (Date.now() < deadline && !this.signal.aborted) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return undefined;
  }

  private async fetchBytes(baseUrl: string, path: string, token: string): Promise<Buffer> {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: this.signal,
    });
    if (!response.ok) throw new ApiError(response.status, 'download', `GET ${path}: ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }
}

interface PendingSession {
  signatureId: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface PendingConfirmations {
  sessions: PendingSession[];
  /** A loop is waiting for the next code to confirm them. */
  confirming: boolean;
}

/** A signer's key in the state file: the unit code for its first signer (as before), `code#seat` after. */
function signerKey(unitCode: string, seat: number): string {
  return seat === 0 ? unitCode : `${unitCode}#${seat}`;
}

/** The demo signer's certificate from the city's issuing CA (signing service API, as the city admin). */
async function issueDemoCertificate(
  signing: ApiClient,
  cityAdminToken: string,
  holderId: string,
  unitCode: string,
): Promise<void> {
  await signing.request(
    'POST',
    '/certificates',
    cityAdminToken,
    { holderId, unitCode, commonName: `Demo signer ${unitCode}` },
    `demo-certificate-${holderId}`,
  );
}
