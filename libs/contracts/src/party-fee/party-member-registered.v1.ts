import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsPseudonym, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { PARTY_MEMBER_CATEGORIES, type PartyMemberCategory } from './enums';
import { PARTY_FEE_EVENTS_TOPIC, PARTY_FEE_PRODUCER } from './topic';

@EventType({
  type: 'party-member.registered.v1',
  topic: PARTY_FEE_EVENTS_TOPIC,
  producer: PARTY_FEE_PRODUCER,
  aggregate: 'party-member',
  description: 'A party member was registered on the digital platform.',
})
export class PartyMemberRegisteredV1 {
  /** The party member (UUIDv7); the subject and Kafka key of every party-fee event, so one member's fees stay in order. */
  @IsUuidV7()
  memberId!: string;

  /** Keyed hash of the member's identity; never the identity itself. */
  @IsPseudonym()
  memberPseudonym!: string;

  /** The party cell (chi bộ) the member belongs to and pays cash to. */
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  partyCellId!: string;

  /** Category deciding the fee rule. */
  @IsIn(PARTY_MEMBER_CATEGORIES)
  category!: PartyMemberCategory;

  /** When the member was registered (UTC). */
  @IsUtcTimestamp()
  registeredAt!: string;
}
