import { hanoiDayRange } from '@backbone/calendar';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK_RUNNING_DOSSIER_STATUSES, OPEN_DOSSIER_STATUSES } from '@backbone/contracts';
import { type CounterRow, type DossierNow, type Figures, figuresFrom } from './figures';

/** Longest daily series (a year and a day): the request is refused beyond, and the loop stops there. */
export const MAX_SERIES_DAYS = 366;

/** Hanoi days, both inclusive (`YYYY-MM-DD`). */
export interface Period {
  from: string;
  to: string;
}

/** null = every unit (city scope); otherwise only these unit codes. */
export type UnitFilter = readonly string[] | null;

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Reads the current generation's projections. Every method takes the schema so a response reads one generation. */
export class ReportingQueries {
  constructor(private readonly db: Queryable) {}

  async currentSchema(): Promise<string> {
    const rows: { schema_name: string }[] = await this.db.query(
      `SELECT g.schema_name FROM reporting_current c JOIN reporting_generation g USING (generation)`,
    );
    if (rows.length !== 1) throw new Error('reporting_current has no row: run the reporting migrations');
    return rows[0]!.schema_name;
  }

  /**
   * Counters of the period summed per metric and dims over the units in scope; per unit or per day
   * only when asked. The city's figures sum the 126 units in SQL: grouping per unit there would send
   * over a hundred times the rows to be summed again here (the 15-day report at full size).
   */
  async counterRows(
    schema: string,
    period: Period,
    units: UnitFilter,
    per: { unit?: boolean; day?: boolean } = {},
  ): Promise<(CounterRow & { unitCode?: string; day?: string })[]> {
    const params: unknown[] = [period.from, period.to];
    const unitCondition = units === null ? '' : `AND unit_code = ANY($3::text[])`;
    if (units !== null) params.push([...units]);
    const keys = [
      ...(per.unit ? ['unit_code'] : []),
      ...(per.day ? ['day'] : []),
      'metric',
      'dim1',
      'dim2',
      'dim3',
    ];
    const rows: {
      unit_code?: string;
      day?: string;
      metric: string;
      dim1: string;
      dim2: string;
      dim3: string;
      value: string;
    }[] = await this.db.query(
      `SELECT ${keys.map((key) => (key === 'day' ? 'day::text AS day' : key)).join(', ')}, sum(value)::text AS value
         FROM "${schema}".daily_counter
         WHERE day BETWEEN $1::date AND $2::date ${unitCondition}
         GROUP BY ${keys.join(', ')}`,
      params,
    );
    return rows.map((row) => ({
      ...(row.unit_code ? { unitCode: row.unit_code } : {}),
      ...(row.day ? { day: row.day } : {}),
      metric: row.metric,
      dim1: row.dim1,
      dim2: row.dim2,
      dim3: row.dim3,
      value: Number(row.value),
    }));
  }

  /** Whether the projections hold anything for a unit (a city department is not in the ward list). */
  async unitHasFigures(schema: string, unitCode: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM "${schema}".daily_counter WHERE unit_code = $1
       UNION ALL SELECT 1 FROM "${schema}".dossier_state WHERE unit_code = $1 LIMIT 1`,
      [unitCode],
    );
    return rows.length > 0;
  }

  /** In progress and overdue right now, per unit, from the per-dossier state. */
  async dossiersNow(schema: string, units: UnitFilter, now = new Date()): Promise<Map<string, DossierNow>> {
    const params: unknown[] = [
      [...OPEN_DOSSIER_STATUSES],
      [...CLOCK_RUNNING_DOSSIER_STATUSES],
      now.toISOString(),
    ];
    const unitCondition = units === null ? '' : `WHERE unit_code = ANY($4::text[])`;
    if (units !== null) params.push([...units]);
    const rows: { unit_code: string; in_progress: number; overdue: number }[] = await this.db.query(
      `SELECT unit_code,
              count(*) FILTER (WHERE status = ANY($1::text[]))::int AS in_progress,
              count(*) FILTER (WHERE status = ANY($2::text[]) AND due_at < $3::timestamptz)::int AS overdue
       FROM "${schema}".dossier_state ${unitCondition}
       GROUP BY unit_code`,
      params,
    );
    return new Map(rows.map((row) => [row.unit_code, { inProgress: row.in_progress, overdue: row.overdue }]));
  }

  /** Figures per unit: every unit of `allUnitCodes` in scope appears, with zeros when it has no events. */
  async figuresByUnit(schema: string, period: Period, units: UnitFilter, allUnitCodes: readonly string[]) {
    const [rows, now] = await Promise.all([
      this.counterRows(schema, period, units, { unit: true }),
      this.dossiersNow(schema, units),
    ]);
    const rowsByUnit = new Map<string, CounterRow[]>();
    for (const row of rows) {
      const unitCode = row.unitCode!;
      const list = rowsByUnit.get(unitCode);
      if (list) list.push(row);
      else rowsByUnit.set(unitCode, [row]);
    }
    const codes = new Set([...(units ?? allUnitCodes), ...rowsByUnit.keys(), ...now.keys()]);
    const result = new Map<string, Figures>();
    for (const code of [...codes].sort()) {
      result.set(
        code,
        figuresFrom(rowsByUnit.get(code) ?? [], now.get(code) ?? { inProgress: 0, overdue: 0 }),
      );
    }
    return result;
  }

  /** Figures of a set of units taken together (the city when `units` is null). */
  async figures(schema: string, period: Period, units: UnitFilter): Promise<Figures> {
    const [rows, now] = await Promise.all([
      this.counterRows(schema, period, units),
      this.dossiersNow(schema, units),
    ]);
    const totalNow = [...now.values()].reduce(
      (sum, n) => ({ inProgress: sum.inProgress + n.inProgress, overdue: sum.overdue + n.overdue }),
      { inProgress: 0, overdue: 0 },
    );
    return figuresFrom(rows, totalNow);
  }

  /** One Figures per day of the period (days without events included); "now" figures are left at 0. */
  async dailySeries(
    schema: string,
    period: Period,
    units: UnitFilter,
  ): Promise<{ day: string; figures: Figures }[]> {
    const rows = await this.counterRows(schema, period, units, { day: true });
    const byDay = new Map<string, CounterRow[]>();
    for (const row of rows) {
      const list = byDay.get(row.day!);
      if (list) list.push(row);
      else byDay.set(row.day!, [row]);
    }
    // Bounded: hanoiDayRange refuses days outside 2000–2100, so no period can make this loop endless.
    return hanoiDayRange(period.from, period.to).map((day) => ({
      day,
      figures: figuresFrom(byDay.get(day) ?? [], { inProgress: 0, overdue: 0 }),
    }));
  }
}
