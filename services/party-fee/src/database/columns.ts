import { Column, type ColumnOptions } from 'typeorm';

/** bigint ↔ number for integer VND (amounts stay far below 2^53). */
const vndTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** An integer VND column (PostgreSQL bigint, read back as a number). */
export function VndColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}): PropertyDecorator {
  return Column({ name, type: 'bigint', transformer: vndTransformer, ...options });
}
