/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact. */
const HO_CHI_MINH_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

// The fold asks for the day of every event, and a batch spans few days: formatting (a Date and
// an ISO string per call) is done once per day number. Bounded so a replay of years stays small.
const dayNames = new Map<number, string>();
const MAX_CACHED_DAYS = 4096;

/** The calendar day (`YYYY-MM-DD`) in Asia/Ho_Chi_Minh of a UTC instant. */
export function dayInHoChiMinh(instant: string | Date): string {
  const millis = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(millis)) throw new Error(`Not a timestamp: ${String(instant)}`);
  const dayNumber = Math.floor((millis + HO_CHI_MINH_OFFSET_MS) / DAY_MS);
  let name = dayNames.get(dayNumber);
  if (name === undefined) {
    name = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size >= MAX_CACHED_DAYS) dayNames.clear();
    dayNames.set(dayNumber, name);
  }
  return name;
}

/** The UTC instant at which a Ho Chi Minh day starts. */
export function startOfHoChiMinhDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - HO_CHI_MINH_OFFSET_MS);
}
