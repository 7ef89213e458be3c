// Batched, idempotent inserts: one INSERT ... SELECT FROM unnest(...) per batch, so a batch of
// 1,000 rows costs one round trip and a fixed number of parameters (one array per column).
import type { ClientBase } from 'pg';
import type { LoadContext, Table } from './tables';

export function insertSql<Row>(table: Table<Row>): string {
  const names = table.columns.map((c) => `"${c.name}"`).join(', ');
  const arrays = table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  if (!table.columns.some((c) => c.read))
    return `INSERT INTO ${table.name} (${names}) SELECT * FROM unnest(${arrays}) ON CONFLICT DO NOTHING`;
  const refs = table.columns.map((_, i) => `c${i + 1}`);
  const values = table.columns.map((c, i) => (c.read ? c.read(`u.${refs[i]}`) : `u.${refs[i]}`)).join(', ');
  return `INSERT INTO ${table.name} (${names}) SELECT ${values} FROM unnest(${arrays}) AS u(${refs.join(', ')}) ON CONFLICT DO NOTHING`;
}

/** Inserts rows in batches; returns how many were new (existing keys are left untouched). */
export async function insertRows<Row>(
  client: ClientBase,
  table: Table<Row>,
  rows: readonly Row[],
  context: LoadContext,
  batchSize: number,
  onBatch: (rowsDone: number) => void,
): Promise<number> {
  const text = insertSql(table);
  let inserted = 0;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const values = table.columns.map((c) => batch.map((row) => c.value(row, context)));
    const result = await client.query(text, values);
    inserted += result.rowCount ?? 0;
    onBatch(batch.length);
  }
  return inserted;
}
