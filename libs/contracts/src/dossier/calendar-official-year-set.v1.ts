import { ArrayMaxSize, IsArray, IsInt, Matches, Max, Min } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsCount, IsText, IsUtcTimestamp } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

/** A civil date in Asia/Ho_Chi_Minh, `YYYY-MM-DD`. */
const LOCAL_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** A year's decision lists a handful of days; the bound keeps the event small. */
const MAX_DAYS = 60;

/**
 * The unit code city-wide reference data is published under: the Office of the Hanoi People's
 * Committee (VP-UBND in the dossier service's units), since the official calendar belongs to the
 * city, not to one ward or commune.
 */
export const CITY_UNIT_CODE = 'VP-UBND';

@EventType({
  type: 'calendar.official-year-set.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'calendar',
  description:
    "The city admin entered (or changed) a year's official days off and swapped working days; every service applies this version whole.",
})
export class CalendarOfficialYearSetV1 {
  /** The year as text (`2027`): the aggregate id, also the event subject and Kafka key, so one year's versions stay in order. */
  @Matches(/^\d{4}$/, { message: '$property must be a four-digit year' })
  yearId!: string;

  /** The year the decision is for (2000–2100). */
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  /** 1 for the year's first entered decision, +1 for each change (equal to the envelope's sequence); consumers keep the highest. */
  @IsCount(1)
  version!: number;

  /** Number and issuer of the official decision (e.g. `9441/TB-BNV`). */
  @IsText(200)
  decisionNumber!: string;

  /** Every official day off of the year beyond the Labour Code rule (`YYYY-MM-DD`, Asia/Ho_Chi_Minh, ascending); the complete list, not a change. */
  @IsArray()
  @ArrayMaxSize(MAX_DAYS)
  @Matches(LOCAL_DATE_PATTERN, { each: true, message: 'each of $property must be a date YYYY-MM-DD' })
  daysOff!: string[];

  /** Every swapped working day of the year (a weekend or holiday worked, `YYYY-MM-DD`, ascending); the complete list. */
  @IsArray()
  @ArrayMaxSize(MAX_DAYS)
  @Matches(LOCAL_DATE_PATTERN, { each: true, message: 'each of $property must be a date YYYY-MM-DD' })
  workingDays!: string[];

  /** When this version was entered (UTC). */
  @IsUtcTimestamp()
  setAt!: string;
}
