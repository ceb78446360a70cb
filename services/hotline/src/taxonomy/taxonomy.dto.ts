import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPORT_CATEGORIES, type ReportCategory } from '@backbone/contracts';
import { IsBoundedLocalDate } from '@backbone/platform';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** A taxonomy code: lower-case words joined by '-', levels by '.', e.g. `environment.waste`. */
export const CATEGORY_CODE_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

export class PutCategoryDto {
  @ApiProperty({ enum: REPORT_CATEGORIES, description: 'the group events and reporting count it under' })
  @IsIn(REPORT_CATEGORIES)
  group!: ReportCategory;

  @ApiProperty({ example: 'Rác thải, vệ sinh môi trường', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  nameVi!: string;

  @ApiProperty({ example: 'Waste and sanitation', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  nameEn!: string;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @MaxLength(1000)
  description!: string;

  /** The Hanoi day this version applies from (the version in force then ends that day). */
  @ApiProperty({ example: '2026-01-01', format: 'date' })
  @IsBoundedLocalDate()
  validFrom!: string;
}

export class RetireCategoryDto {
  @ApiProperty({ example: '2026-01-01', format: 'date' })
  @IsBoundedLocalDate()
  validFrom!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  confirm?: boolean;
}

export class PutHandlingLimitDto {
  /** Working hours from acceptance (8 = one working day); at most 2,000 (a working year). */
  @ApiProperty({ example: 40, minimum: 1, maximum: 2000 })
  @IsInt()
  @Min(1)
  @Max(2000)
  workingHours!: number;

  @ApiProperty({ example: '2026-01-01', format: 'date' })
  @IsBoundedLocalDate()
  validFrom!: string;

  @ApiProperty({ example: 'Decision 1207/QĐ-UBND (2025)', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  source!: string;
}
