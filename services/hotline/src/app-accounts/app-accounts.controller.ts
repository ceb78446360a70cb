import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AppAccountRegisteredV1, buildEvent, UNIT_CODE_PATTERN, uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import {
  AuditTrail,
  BlindIndex,
  eventTrace,
  FieldCipher,
  IsBoundedInstant,
  Pseudonymizer,
  Roles,
  ServiceAction,
  ValidationProblemException,
} from '@backbone/platform';
import { IsEmail, IsOptional, Matches, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { PHONE_PATTERN } from '../calls/calls.dto';
import { HotlineConfig } from '../config';
import { identityOf, normalisePhone, PII_CONTEXT } from '../personal-data/personal-data';
import { hanoiUnit } from '../routing/unit-directory';

export class RegisterAppAccountDto {
  @ApiPropertyOptional({ example: '0912345678' })
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  /** The commune or ward the citizen chose as theirs in the app, if any. */
  @ApiPropertyOptional({ example: '00070' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN)
  homeUnitCode?: string;

  @ApiProperty({ example: '2026-07-01T08:00:00+07:00' })
  @IsOptional()
  @IsBoundedInstant()
  registeredAt?: string;
}

const MAX_BACKDATE_MS = 30 * 24 * 3600_000;

/**
 * iHanoi account registrations, counted: the app's service client posts each new account; the
 * phone/e-mail is kept encrypted (a blind index makes a repeated registration the same account) and
 * app-account.registered.v1 carries only a pseudonym — the one the citizen's reports carry.
 */
@ApiTags('app-accounts')
@Controller('app-accounts')
export class AppAccountsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly auditTrail: AuditTrail,
    private readonly config: HotlineConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('service', 'city-admin')
  @ServiceAction('hotline.app-account.register')
  async register(@Body() input: RegisterAppAccountDto) {
    const identity = identityOf(input);
    if (!identity)
      throw new ValidationProblemException([{ field: 'phone', reason: 'a phone or an e-mail is required' }]);
    const now = new Date();
    const registeredAt = input.registeredAt ? new Date(input.registeredAt) : now;
    if (
      registeredAt.getTime() > now.getTime() + 5 * 60_000 ||
      registeredAt.getTime() < now.getTime() - MAX_BACKDATE_MS
    )
      throw new ValidationProblemException([
        { field: 'registeredAt', reason: 'must be within the last 30 days' },
      ]);
    const home = input.homeUnitCode && hanoiUnit(input.homeUnitCode) ? input.homeUnitCode : null;
    const account = {
      id: uuidv7(),
      identityIndex: this.blindIndex.compute(identity, PII_CONTEXT.accountIdentity),
      phoneCipher: input.phone
        ? this.cipher.encrypt(normalisePhone(input.phone), PII_CONTEXT.accountPhone)
        : null,
      emailCipher: input.email ? this.cipher.encrypt(input.email, PII_CONTEXT.accountEmail) : null,
      pseudonym: this.pseudonymizer.pseudonymize(identity),
      homeUnitCode: home,
      unitCode: home ?? this.config.HOTLINE_CITY_UNIT_CODE,
      registeredAt,
    };
    return this.dataSource.transaction(async (manager) => {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO app_accounts (id, identity_index, phone_cipher, email_cipher, pseudonym, home_unit_code, unit_code, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (identity_index) DO NOTHING RETURNING id`,
        [
          account.id,
          account.identityIndex,
          account.phoneCipher,
          account.emailCipher,
          account.pseudonym,
          account.homeUnitCode,
          account.unitCode,
          registeredAt,
        ],
      );
      if (inserted.length === 0) {
        const [existing] = (await manager.query(
          `SELECT id, registered_at FROM app_accounts WHERE identity_index = $1`,
          [account.identityIndex],
        )) as { id: string; registered_at: Date }[];
        return {
          accountId: existing!.id,
          registeredAt: existing!.registered_at.toISOString(),
          alreadyRegistered: true,
        };
      }
      const event = buildEvent(AppAccountRegisteredV1, {
        subject: account.id,
        unitcode: account.unitCode,
        sequence: 1,
        time: registeredAt,
        data: {
          accountId: account.id,
          registeredAt: registeredAt.toISOString(),
          accountPseudonym: account.pseudonym,
        },
        ...eventTrace(),
      });
      await addToOutbox(manager, [event], { topic: this.config.HOTLINE_EVENTS_TOPIC });
      await this.auditTrail.record(manager, {
        action: 'hotline.app-account.register',
        targetType: 'app-account',
        targetId: account.id,
        unitCode: account.unitCode,
      });
      return { accountId: account.id, registeredAt: registeredAt.toISOString(), alreadyRegistered: false };
    });
  }
}
