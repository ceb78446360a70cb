import { IsString, MaxLength, MinLength } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUnitCode, IsUtcTimestamp, IsUuidV7, IsVnd } from '../shared/validators';
import { PARTY_FEE_EVENTS_TOPIC, PARTY_FEE_PRODUCER } from './topic';

@EventType({
  type: 'party-member.transferred.v1',
  topic: PARTY_FEE_EVENTS_TOPIC,
  producer: PARTY_FEE_PRODUCER,
  aggregate: 'party-member',
  description:
    'A party member moved to another party cell; open arrears move with the member. The envelope carries the receiving unit.',
})
export class PartyMemberTransferredV1 {
  /** The party member (UUIDv7); the subject and Kafka key of every party-fee event, so one member's fees stay in order. */
  @IsUuidV7()
  memberId!: string;

  /** The party cell the member left. */
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  fromPartyCellId!: string;

  /** The party cell the member joined. */
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  toPartyCellId!: string;

  /** The grassroots committee (unit code) the member left. */
  @IsUnitCode()
  fromUnitCode!: string;

  /** Fees assessed and still unpaid that moved with the member, integer VND. */
  @IsVnd(0)
  openArrearsVnd!: number;

  /** When the transfer took effect (UTC). */
  @IsUtcTimestamp()
  transferredAt!: string;
}
