import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsBoundedLocalDate } from '@backbone/platform';

export const CELL_CODE_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const UNIT_CODE_5 = /^\d{5}$/;

export class CreateCellDto {
  /** A stable slug, unique: the `partyCellId` on Kafka and the prefix of its receipt numbers. */
  @ApiProperty({ example: 'chi-bo-to-dan-pho-3-tay-ho', maxLength: 64 })
  @Matches(CELL_CODE_PATTERN, { message: 'code must be lower-case letters, digits and single hyphens' })
  @MaxLength(64)
  code!: string;

  @ApiProperty({ example: 'Chi bộ Tổ dân phố 3', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  /** The commune/ward whose grassroots committee the cell belongs to (5-digit unit code). */
  @ApiProperty({ example: '00103' })
  @Matches(UNIT_CODE_5, { message: 'unitCode must be a 5-digit unit code' })
  unitCode!: string;

  /** The cell's bank (6-digit NAPAS BIN) and account, for VietQR transfers. */
  @ApiProperty({ example: '970436' })
  @Matches(/^\d{6}$/, { message: 'bankBin must be 6 digits' })
  bankBin!: string;

  @ApiProperty({ example: '0011004567890' })
  @Matches(/^[0-9A-Za-z]{1,19}$/, { message: 'bankAccount must be 1–19 letters or digits' })
  bankAccount!: string;

  /** The subject (`sub`) of the cell treasurer's account. */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  treasurerSubject?: string;
}

export class NewCellVersionDto {
  /** The day the new version takes effect (a reorganisation, a new account, a new treasurer). */
  @ApiProperty({ example: '2026-03-01', format: 'date' })
  @IsBoundedLocalDate()
  validFrom!: string;

  @ApiProperty({ example: '00103' })
  @Matches(UNIT_CODE_5, { message: 'unitCode must be a 5-digit unit code' })
  unitCode!: string;

  @ApiProperty({ example: '970436' })
  @Matches(/^\d{6}$/, { message: 'bankBin must be 6 digits' })
  bankBin!: string;

  @ApiProperty({ example: '0011004567890' })
  @Matches(/^[0-9A-Za-z]{1,19}$/, { message: 'bankAccount must be 1–19 letters or digits' })
  bankAccount!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  treasurerSubject?: string;

  @ApiProperty({ example: 'Units reorganised by Resolution 1656/NQ-UBTVQH15', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class CreateCommitteeDto {
  @ApiProperty({ example: '00103' })
  @Matches(UNIT_CODE_5, { message: 'unitCode must be a 5-digit unit code' })
  unitCode!: string;

  @ApiProperty({ example: 'Đảng ủy phường Tây Hồ', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '2025-07-01', format: 'date' })
  @IsBoundedLocalDate()
  validFrom!: string;
}
