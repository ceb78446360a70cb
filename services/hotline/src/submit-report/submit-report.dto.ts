import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  REPORT_CHANNELS,
  REPORT_LEVELS,
  type ReportChannel,
  type ReportLevel,
  UNIT_CODE_PATTERN,
} from '@backbone/contracts';
import { IsBoundedInstant } from '@backbone/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PHONE_PATTERN } from '../calls/calls.dto';
import { CATEGORY_CODE_PATTERN } from '../taxonomy/taxonomy.dto';

export class LocationDto {
  /** Where the problem is (street, ward/commune), not the reporter's home. */
  @ApiPropertyOptional({ example: 'Số 5 Hàng Bạc, P. Hàng Bạc, Q. Hoàn Kiếm, Hà Nội', maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ example: 21.0341, minimum: -90, maximum: 90 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number;

  @ApiPropertyOptional({ example: 105.8516, minimum: -180, maximum: 180 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  long?: number;
}

export class ReporterDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ example: '0912345678' })
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  /** The iHanoi account that sent it (its pseudonym goes on the report's events). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  appAccountId?: string;
}

/** A photo or video's metadata; the file stays with the channel. */
export class MediaDto {
  @ApiProperty({ example: 'IMG_2031.jpg', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'image/jpeg' })
  @Matches(/^[a-z]+\/[a-z0-9.+-]{1,80}$/, { message: 'type must be a media type such as image/jpeg' })
  type!: string;

  @ApiProperty({ example: 184532, minimum: 0, maximum: 524288000 })
  @IsInt()
  @Min(0)
  @Max(500 * 1024 * 1024)
  sizeBytes!: number;

  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' })
  sha256!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(500)
  url?: string;
}

export class SubmitReportDto {
  @ApiProperty({ enum: REPORT_CHANNELS })
  @IsIn(REPORT_CHANNELS)
  channel!: ReportChannel;

  @ApiProperty({ example: 'environment.waste', maxLength: 64 })
  @Matches(CATEGORY_CODE_PATTERN, {
    message: 'categoryCode must be a taxonomy code such as environment.waste',
  })
  @MaxLength(64)
  categoryCode!: string;

  @ApiPropertyOptional({ enum: REPORT_LEVELS, default: 'normal' })
  @IsOptional()
  @IsIn(REPORT_LEVELS)
  level?: ReportLevel;

  @ApiProperty({ maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  description!: string;

  @ApiProperty({ type: LocationDto })
  @ValidateNested()
  @Type(() => LocationDto)
  location!: LocationDto;

  /** The unit the agent chose, used when the address and coordinates name none. */
  @ApiPropertyOptional({ example: '00070' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: 'unitCode must be a unit code' })
  unitCode?: string;

  @ApiPropertyOptional({ type: ReporterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReporterDto)
  reporter?: ReporterDto;

  @ApiPropertyOptional({ type: [MediaDto], maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => MediaDto)
  media?: MediaDto[];

  /**
   * When the channel received it, if earlier than now (an e-mail or Zalo gateway relaying): at most
   * 30 days back and never in the future. The acceptance clock starts then.
   */
  @ApiPropertyOptional({ example: '2026-07-01T08:00:00+07:00' })
  @IsOptional()
  @IsBoundedInstant()
  submittedAt?: string;
}
