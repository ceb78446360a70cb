import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  AuditTrail,
  type AuthenticatedUser,
  FieldCipher,
  readForChange,
  runOutsideRequestContext,
  TypedProblemException,
  writeChange,
} from '@backbone/platform';
import { DataSource, Repository } from 'typeorm';
import { SigningConfig } from '../config';
import { SignerSecondFactor } from './signer-second-factor.entity';
import { base32Encode, checkTotp, newTotpSecret, otpauthUri } from './totp';

/** The ciphertext's context (additional data): a secret cannot be moved to another column. */
export const SECOND_FACTOR_CONTEXT = 'signer_second_factors.secret';

const refused = (detail: string) =>
  new TypedProblemException(
    'urn:backbone:problem:signing:second-factor-refused',
    HttpStatus.FORBIDDEN,
    detail,
  );

/**
 * TOTP enrolment through the API: the signer gets a fresh secret once (to put in an authenticator
 * app; the service keeps it encrypted with the platform's field encryption), then proves it with a
 * first code, which activates it. Enrolling again replaces a factor not yet activated; an active
 * one stays (an administrator's reset would be its own action).
 */
@Injectable()
export class SecondFactorHandler {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(SignerSecondFactor) private readonly factors: Repository<SignerSecondFactor>,
    private readonly cipher: FieldCipher,
    private readonly auditTrail: AuditTrail,
    private readonly config: SigningConfig,
  ) {}

  async enrol(user: AuthenticatedUser) {
    const secret = newTotpSecret();
    const now = new Date();
    const factor: SignerSecondFactor = {
      signerId: user.subject,
      secretCipher: this.cipher.encrypt(secret.toString('base64'), SECOND_FACTOR_CONTEXT),
      status: 'pending',
      enrolledAt: now,
      activatedAt: null,
      lastUsedStep: null,
    };
    const replaced = await this.dataSource.transaction(async (manager) => {
      const rows: unknown[] = await manager.query(
        `INSERT INTO signer_second_factors (signer_id, secret_cipher, status, enrolled_at)
         VALUES ($1, $2, 'pending', $3)
         ON CONFLICT (signer_id) DO UPDATE SET secret_cipher = EXCLUDED.secret_cipher,
           enrolled_at = EXCLUDED.enrolled_at, last_used_step = NULL
         WHERE signer_second_factors.status = 'pending'
         RETURNING 1`,
        [factor.signerId, factor.secretCipher, now],
      );
      if (rows.length === 0) return false;
      await this.auditTrail.record(manager, {
        action: 'signing.second-factor.enrol',
        targetType: 'signer',
        targetId: user.subject,
      });
      return true;
    });
    if (!replaced) {
      throw new TypedProblemException(
        'urn:backbone:problem:signing:second-factor-active',
        HttpStatus.CONFLICT,
        'Your second factor is already active',
      );
    }
    // Shown once: the service never returns the secret again.
    return {
      status: factor.status,
      secret: base32Encode(secret),
      otpauthUri: otpauthUri(this.config.TOTP_ISSUER, user.subject, secret),
      enrolledAt: now.toISOString(),
    };
  }

  /** The first code from the app activates the factor (and is used up like any other). */
  async activate(code: string, user: AuthenticatedUser) {
    const { row } = await readForChange(this.dataSource, SignerSecondFactor, user.subject);
    if (!row) throw refused('Enrol first (POST /signers/me/second-factor)');
    const factor = row.entity;
    if (factor.status === 'active') return this.view(factor);
    const secret = Buffer.from(this.cipher.decrypt(factor.secretCipher, SECOND_FACTOR_CONTEXT), 'base64');
    const check = checkTotp(secret, code, new Date(), factor.lastUsedStep);
    if (!check.ok) throw refused(check.why === 'replayed' ? 'This code was already used' : 'Wrong code');
    factor.status = 'active';
    factor.activatedAt = new Date();
    factor.lastUsedStep = check.step;
    const audit = this.auditTrail.prepareRecord({
      action: 'signing.second-factor.activate',
      targetType: 'signer',
      targetId: user.subject,
    });
    if (!(await writeChange(this.dataSource, SignerSecondFactor, row, { alongside: audit.statements }))) {
      throw new TypedProblemException(
        'urn:backbone:problem:signing:second-factor-changed',
        HttpStatus.CONFLICT,
        'Your second factor changed meanwhile (enrolled again?): use the latest secret',
      );
    }
    runOutsideRequestContext(() => audit.committed());
    return this.view(factor);
  }

  async find(user: AuthenticatedUser) {
    const factor = await this.factors.findOneBy({ signerId: user.subject });
    if (!factor) return { status: 'none' as const, enrolledAt: null, activatedAt: null };
    return this.view(factor);
  }

  private view(factor: SignerSecondFactor) {
    return {
      status: factor.status,
      enrolledAt: factor.enrolledAt.toISOString(),
      activatedAt: factor.activatedAt ? factor.activatedAt.toISOString() : null,
    };
  }
}
