// Vietnamese lunisolar calendar (âm lịch), computed for the UTC+7 meridian.
//
// Method: Hồ Ngọc Đức, "Thuật toán tính âm lịch" (informatik.uni-leipzig.de/~duc/amlich/),
// which applies Jean Meeus, "Astronomical Algorithms" (2nd ed., 1998): ch. 49 (mean new moon
// plus the main periodic terms) and ch. 25 (apparent solar longitude, low accuracy). This is an
// independent TypeScript implementation of the published method, not a copy of his code.
//
// The rules of the calendar, as the method states them:
//  1. A lunar month starts on the civil day (in UTC+7) that contains the new moon.
//  2. Month 11 is the month that contains the winter solstice (sun longitude 270°).
//  3. If there are 13 new moons between two consecutive month-11 starts, the year has a leap
//     month: the first month after month 11 that contains no major solar term (trung khí, a
//     multiple of 30° of solar longitude) repeats the previous month's number.
// Using UTC+7 rather than China's UTC+8 is exactly what makes Vietnamese Tết differ from the
// Chinese New Year in some years (1985, 2007 are the classic examples).

export interface LunarDate {
  day: number;
  month: number;
  year: number;
  leapMonth: boolean;
}

export interface SolarDate {
  day: number;
  month: number;
  year: number;
}

/** Hours east of Greenwich of the meridian the calendar is computed for (Vietnam: 7). */
export const VIETNAM_TIME_ZONE_HOURS = 7;

const DEG = Math.PI / 180;
const SYNODIC_MONTH = 29.530588853;
/** Julian day of the first new moon of 1900 (1900-01-01 13:51 UT), the origin of new-moon numbering. */
const NEW_MOON_EPOCH_JD = 2415021.076998695;

/** Julian Day Number (integer, noon-based) of a Gregorian date. */
export function julianDayNumber(day: number, month: number, year: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return (
    day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045
  );
}

/** Gregorian date of a Julian Day Number (valid for the Gregorian era, which is all we need). */
export function solarDateOfJulianDay(jdn: number): SolarDate {
  const a = jdn + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    day: e - Math.floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * Math.floor(m / 10),
    year: 100 * b + d - 4800 + Math.floor(m / 10),
  };
}

/**
 * Julian day (UT, fractional) of the k-th new moon after the first new moon of 1900
 * (Meeus ch. 49 with the largest periodic corrections; error well under an hour for 1900–2100).
 */
export function newMoonJulianDay(k: number): number {
  const t = k / 1236.85; // Julian centuries since 1900 January 0.5
  const t2 = t * t;
  const t3 = t2 * t;
  const meanNewMoon =
    2415020.75933 +
    29.53058868 * k +
    0.0001178 * t2 -
    0.000000155 * t3 +
    0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
  const sunAnomaly = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * DEG;
  const moonAnomaly = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * DEG;
  const moonLatitudeArg = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * DEG;
  const correction =
    (0.1734 - 0.000393 * t) * Math.sin(sunAnomaly) +
    0.0021 * Math.sin(2 * sunAnomaly) -
    0.4068 * Math.sin(moonAnomaly) +
    0.0161 * Math.sin(2 * moonAnomaly) -
    0.0004 * Math.sin(3 * moonAnomaly) +
    0.0104 * Math.sin(2 * moonLatitudeArg) -
    0.0051 * Math.sin(sunAnomaly + moonAnomaly) -
    0.0074 * Math.sin(sunAnomaly - moonAnomaly) +
    0.0004 * Math.sin(2 * moonLatitudeArg + sunAnomaly) -
    0.0004 * Math.sin(2 * moonLatitudeArg - sunAnomaly) -
    0.0006 * Math.sin(2 * moonLatitudeArg + moonAnomaly) +
    0.001 * Math.sin(2 * moonLatitudeArg - moonAnomaly) +
    0.0005 * Math.sin(sunAnomaly + 2 * moonAnomaly);
  // ΔT (TT − UT) in days, polynomial fit used by the method for years after 1600 (t ≥ -11).
  const deltaT =
    t < -11
      ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
      : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return meanNewMoon + correction - deltaT;
}

/** Apparent solar longitude in radians, normalised to [0, 2π), at a Julian day (UT). */
export function sunLongitude(julianDay: number): number {
  const t = (julianDay - 2451545.0) / 36525; // Julian centuries since J2000.0
  const t2 = t * t;
  const meanAnomaly = (357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * DEG;
  const meanLongitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  const centre =
    (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(meanAnomaly) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * meanAnomaly) +
    0.00029 * Math.sin(3 * meanAnomaly);
  const longitude = (meanLongitude + centre) * DEG;
  return longitude - 2 * Math.PI * Math.floor(longitude / (2 * Math.PI));
}

/** The civil day (JDN in the given zone) on which the k-th new moon falls. */
function newMoonDay(k: number, timeZoneHours: number): number {
  return Math.floor(newMoonJulianDay(k) + 0.5 + timeZoneHours / 24);
}

/** Which 30° sector (0–11) the sun is in at local midnight starting a civil day; sector 9 starts at the winter solstice. */
function solarTermSector(dayNumber: number, timeZoneHours: number): number {
  return Math.floor((sunLongitude(dayNumber - 0.5 - timeZoneHours / 24) / Math.PI) * 6);
}

/** Start (JDN) of lunar month 11 of a solar year: the month that contains the December solstice. */
function month11Start(year: number, timeZoneHours: number): number {
  const offset = julianDayNumber(31, 12, year) - 2415021;
  const k = Math.floor(offset / SYNODIC_MONTH);
  const candidate = newMoonDay(k, timeZoneHours);
  // If the sun has already passed 270° when the last new moon of December starts, that new moon
  // opens month 12, so month 11 started one lunation earlier.
  return solarTermSector(candidate, timeZoneHours) >= 9 ? newMoonDay(k - 1, timeZoneHours) : candidate;
}

/**
 * In a leap year (13 months from one month 11 to the next), the position (1-based, counting from
 * the month after month 11) of the first month without a major solar term — that month is the leap one.
 */
function leapMonthOffset(month11: number, timeZoneHours: number): number {
  const k = Math.floor((month11 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let sector = solarTermSector(newMoonDay(k + i, timeZoneHours), timeZoneHours);
  let previous: number;
  do {
    previous = sector;
    i += 1;
    sector = solarTermSector(newMoonDay(k + i, timeZoneHours), timeZoneHours);
  } while (sector !== previous && i < 14);
  return i - 1;
}

export function solarToLunar(date: SolarDate, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): LunarDate {
  const dayNumber = julianDayNumber(date.day, date.month, date.year);
  const k = Math.floor((dayNumber - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1, timeZoneHours);
  if (monthStart > dayNumber) monthStart = newMoonDay(k, timeZoneHours);

  let previousMonth11 = month11Start(date.year, timeZoneHours);
  let nextMonth11 = previousMonth11;
  let lunarYear: number;
  if (previousMonth11 >= monthStart) {
    lunarYear = date.year;
    previousMonth11 = month11Start(date.year - 1, timeZoneHours);
  } else {
    lunarYear = date.year + 1;
    nextMonth11 = month11Start(date.year + 1, timeZoneHours);
  }

  const monthsSince11 = Math.floor((monthStart - previousMonth11) / 29);
  let lunarMonth = monthsSince11 + 11;
  let leapMonth = false;
  if (nextMonth11 - previousMonth11 > 365) {
    const leapOffset = leapMonthOffset(previousMonth11, timeZoneHours);
    if (monthsSince11 >= leapOffset) {
      lunarMonth = monthsSince11 + 10;
      leapMonth = monthsSince11 === leapOffset;
    }
  }
  if (lunarMonth > 12) lunarMonth -= 12;
  // Months 11 and 12 belong to the lunar year that began before this solar year's Tết.
  if (lunarMonth >= 11 && monthsSince11 < 4) lunarYear -= 1;

  return { day: dayNumber - monthStart + 1, month: lunarMonth, year: lunarYear, leapMonth };
}

/**
 * The solar date of a lunar date. Throws if `leapMonth` is requested for a month that is not the
 * leap month of that lunar year (such a date does not exist).
 */
export function lunarToSolar(date: LunarDate, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): SolarDate {
  const { day, month, year, leapMonth } = date;
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > 30) {
    throw new RangeError(`not a lunar date: ${day}/${month}/${year}`);
  }
  const [month11, nextMonth11] =
    month < 11
      ? [month11Start(year - 1, timeZoneHours), month11Start(year, timeZoneHours)]
      : [month11Start(year, timeZoneHours), month11Start(year + 1, timeZoneHours)];
  const k = Math.floor(0.5 + (month11 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH);
  let offset = month - 11;
  if (offset < 0) offset += 12;
  if (nextMonth11 - month11 > 365) {
    const leapOffset = leapMonthOffset(month11, timeZoneHours);
    let leapMonthNumber = leapOffset - 2;
    if (leapMonthNumber < 0) leapMonthNumber += 12;
    if (leapMonth && month !== leapMonthNumber) {
      throw new RangeError(`lunar year ${year} has no leap month ${month}`);
    }
    if (leapMonth || offset >= leapOffset) offset += 1;
  } else if (leapMonth) {
    throw new RangeError(`lunar year ${year} has no leap month`);
  }
  const monthStart = newMoonDay(k + offset, timeZoneHours);
  return solarDateOfJulianDay(monthStart + day - 1);
}

/** The leap month number of a lunar year, or null if the year has twelve months. */
export function leapMonthOf(lunarYear: number, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): number | null {
  // Months 1–10 of the year lie in the cycle from month 11 of the previous year; a leap 11 or 12
  // lies in the cycle that starts at this year's own month 11.
  const early = leapInCycle(
    month11Start(lunarYear - 1, timeZoneHours),
    month11Start(lunarYear, timeZoneHours),
    timeZoneHours,
  );
  if (early !== null && early >= 3) return early - 2;
  const late = leapInCycle(
    month11Start(lunarYear, timeZoneHours),
    month11Start(lunarYear + 1, timeZoneHours),
    timeZoneHours,
  );
  if (late !== null && late <= 2) return late + 10;
  return null;
}

function leapInCycle(month11: number, nextMonth11: number, timeZoneHours: number): number | null {
  return nextMonth11 - month11 > 365 ? leapMonthOffset(month11, timeZoneHours) : null;
}
