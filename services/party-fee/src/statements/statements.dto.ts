import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { MAX_STATEMENT_CHARS } from './parse-statement';

export class ImportStatementDto {
  @ApiProperty({ enum: ['camt053', 'csv'] })
  @IsIn(['camt053', 'csv'])
  format!: 'camt053' | 'csv';

  /** The statement file's text (camt.053 XML, or the CSV layout). */
  @ApiProperty({ maxLength: MAX_STATEMENT_CHARS })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_STATEMENT_CHARS)
  content!: string;

  /** The account the CSV is for (a camt.053 names its own). */
  @ApiPropertyOptional({ example: '0011004567890' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{1,34}$/, { message: 'account must be 1–34 letters or digits' })
  account?: string;
}

export class ResolveLineDto {
  /** The member the transfer was for, when a treasurer identified them: a payment is recorded. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiProperty({ example: 'Member wrote their name instead of the reference', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  note!: string;
}

export class UnmatchedQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cellId?: string;
}
