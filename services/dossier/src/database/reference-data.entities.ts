import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StatutoryTime } from '@backbone/calendar';
import type { OnlineLevel, ProcedureLevel, UnitType } from '../reference-data';

/**
 * One version of an administrative unit. A reorganisation closes the version (valid_to) and opens
 * another, so dossiers received before keep pointing at a unit that existed then.
 */
@Entity({ name: 'administrative_units' })
export class AdministrativeUnitVersion {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  /** Civil date (Asia/Ho_Chi_Minh), inclusive. */
  @PrimaryColumn({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  /** Civil date, exclusive; null while in force. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: UnitType;
}

/** One version of a catalogue procedure (effective-dated like units). */
@Entity({ name: 'procedures' })
export class ProcedureVersion {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @PrimaryColumn({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  field!: string;

  @Column({ type: 'text' })
  level!: ProcedureLevel;

  @Column({ name: 'statutory_time', type: 'jsonb' })
  statutoryTime!: StatutoryTime;

  @Column({ name: 'online_level', type: 'text' })
  onlineLevel!: OnlineLevel;

  @Column({
    name: 'fee_vnd',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  feeVnd!: number;

  @Column({ name: 'requires_signature', type: 'boolean' })
  requiresSignature!: boolean;

  @Column({ name: 'code_verified', type: 'boolean' })
  codeVerified!: boolean;
}

/** An official day off or swapped working day; wins over the holiday rule. */
@Entity({ name: 'calendar_overrides' })
export class CalendarOverrideRecord {
  @PrimaryColumn({ type: 'date' })
  date!: string;

  @Column({ type: 'text' })
  kind!: 'day-off' | 'working-day';

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}

/** An official day as stored in a year's decision (the same shape as an override). */
export interface OfficialDay {
  date: string;
  kind: 'day-off' | 'working-day';
  reason: string;
  source: string;
}

/** A year whose official decision was entered, at its current version (docs/adr/0008). */
@Entity({ name: 'official_calendar_years' })
export class OfficialCalendarYearRecord {
  @PrimaryColumn({ type: 'integer' })
  year!: number;

  /** 1 for the first entered decision, +1 per change; the version published to other services. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'decision_number', type: 'text' })
  decisionNumber!: string;

  /** Every official day of the year, ascending by date. */
  @Column({ type: 'jsonb' })
  days!: OfficialDay[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}

/** The year as it was before and after one change; `old` is null for a year's first decision. */
export interface OfficialYearValue {
  version: number;
  decisionNumber: string;
  days: OfficialDay[];
}

/** One change of the official calendar: who, when, what kind of change, old and new. */
@Entity({ name: 'official_calendar_changes' })
export class OfficialCalendarChangeRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  version!: number;

  /** `year.put` (a whole decision), `date.put` / `date.delete` (one date corrected), `seed`. */
  @Column({ type: 'text' })
  change!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy!: string;

  @Column({ name: 'old_value', type: 'jsonb', nullable: true })
  oldValue!: OfficialYearValue | null;

  @Column({ name: 'new_value', type: 'jsonb' })
  newValue!: OfficialYearValue;
}
