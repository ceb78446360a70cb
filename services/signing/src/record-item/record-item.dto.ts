import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { UNIT_CODE_PATTERN } from '@backbone/contracts';
import { IsBoundedLocalDate } from '@backbone/platform';

export class RecordItemDto {
  /** The unit the item belongs to; the caller must serve it. */
  @ApiProperty({ example: '00070' })
  @Matches(UNIT_CODE_PATTERN)
  unitCode!: string;

  @ApiProperty({ example: 'First item', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  /**
   * The day the item is due (a calendar day in Viet Nam). Every date a request carries is bounded
   * (`@IsBoundedLocalDate`, `@IsBoundedInstant`): a year 10000 is a 400, never a 500 or a runaway loop.
   */
  @ApiPropertyOptional({ example: '2026-07-15', format: 'date' })
  @IsOptional()
  @IsBoundedLocalDate()
  dueOn?: string;
}
