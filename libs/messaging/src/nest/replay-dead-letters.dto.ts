import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';

/** Which dead letters of the group to replay: their offsets in `<group>.dlq` (`7` or `0:7`). */
export class ReplayDeadLettersDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(/^(\d{1,4}:)?\d{1,19}$/, {
    each: true,
    message: 'offsets must be dead-letter offsets such as 7 or 0:7',
  })
  offsets!: string[];
}
