import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { SIGNATURE_TASK_STATUSES, type SignatureTaskStatus } from './signature-task.entity';

export class SignatureTaskQuery {
  /** A unit the caller serves (5-digit commune/ward code or a department code). */
  @IsOptional()
  @Matches(/^[0-9A-Z.-]{2,32}$/, { message: 'must be a unit code' })
  unit?: string;

  /** The tasks of one dossier (its result's signature), whatever the queue's length before it. */
  @IsOptional()
  @IsUUID('all', { message: 'must be a dossier id (UUID)' })
  dossierId?: string;

  /** Default `open`: the queue. */
  @IsOptional()
  @IsIn(SIGNATURE_TASK_STATUSES)
  status?: SignatureTaskStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'must be a cursor from a previous page' })
  cursor?: string;
}
