import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
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
  @IsISO8601({ strict: true })
  receivedFrom?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  receivedTo?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  dueFrom?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
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
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date?: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/)
  unit?: string;
}

export class StatsQuery {
  @IsISO8601({ strict: true })
  from!: string;

  @IsISO8601({ strict: true })
  to!: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/)
  unit?: string;
}
