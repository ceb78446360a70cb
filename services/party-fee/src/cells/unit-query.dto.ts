import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class UnitQueryDto {
  @ApiPropertyOptional({ example: '00103' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'unitCode must be a 5-digit unit code' })
  unitCode?: string;
}
