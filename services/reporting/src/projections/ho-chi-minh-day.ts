/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact. */
const HO_CHI_MINH_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The calendar day (`YYYY-MM-DD`) in Asia/Ho_Chi_Minh of a UTC instant. */
export function dayInHoChiMinh(instant: string | Date): string {
  const millis = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(millis)) throw new Error(`Not a timestamp: ${String(instant)}`);
  return new Date(millis + HO_CHI_MINH_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant at which a Ho Chi Minh day starts. */
export function startOfHoChiMinhDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - HO_CHI_MINH_OFFSET_MS);
}
