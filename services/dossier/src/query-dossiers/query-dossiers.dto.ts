import { Transform } from 'class-transformer';
import { IsBoundedInstant, IsBoundedLocalDate } from '@backbone/platform';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DOSSIER_STATUSES, type DossierStatus } from '../dossier';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

export const DOSSIER_SORTS = ['received_at', 'due_at', 'code'] as const;

export class ListDossiersQuery {
  @IsOptional()
  @Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/)
  unit?: string;

  @IsOptional()
  @IsIn(DOSSIER_STATUSES)
  status?: DossierStatus;

  @IsOptional()
  @IsString()
  procedure?: string;

  @IsOptional()
  @IsIn(['direct', 'online', 'postal', 'agent'])
  channel?: string;

  @IsOptional()
  @IsBoundedInstant()
  receivedFrom?: string;

  @IsOptional()
  @IsBoundedInstant()
  receivedTo?: string;

  @IsOptional()
  @IsBoundedInstant()
  dueFrom?: string;

  @IsOptional()
  @IsBoundedInstant()
  dueTo?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  overdue?: boolean;

  @IsOptional()
  @IsIn(DOSSIER_SORTS)
  sort?: (typeof DOSSIER_SORTS)[number];

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  /** Opaque: the `nextCursor` of the previous page (same filters and sort). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/)
  cursor?: string;
}

export class DeskCountsQuery {
  /** Civil date (Asia/Ho_Chi_Minh), default today. */
  @IsOptional()
  @IsBoundedLocalDate()
  date?: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/)
  unit?: string;
}

export class StatsQuery {
  @IsBoundedInstant()
  from!: string;

  @IsBoundedInstant()
  to!: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/)
  unit?: string;
}
