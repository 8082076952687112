import { getDMMF } from '@prisma/get-dmmf';
import type { SqlConnection } from './database.js';

/**
 * Compares a migrated database with schema.prisma: tables, columns (type, nullability), primary
 * keys, unique and plain indexes, foreign keys (with ON DELETE) and enum values. Returns one line
 * per difference; empty means they agree. Used by the drift test, which is the guard for
 * hand-written migrations (Prisma's own `migrate diff` needs an engine these machines cannot fetch).
 */
export async function schemaDrift(datamodel: string, connection: SqlConnection): Promise<string[]> {
  const expected = await expectedSchema(datamodel);
  const actual = await actualSchema(connection);
  const problems: string[] = [];
  const compareSets = (what: string, want: Set<string>, have: Set<string>) => {
    for (const item of want) if (!have.has(item)) problems.push(`${what} ${item}: in schema.prisma, not in the database`);
    for (const item of have) if (!want.has(item)) problems.push(`${what} ${item}: in the database, not in schema.prisma`);
  };
  compareSets('table', new Set(expected.columns.keys()), new Set(actual.columns.keys()));
  for (const [table, columns] of expected.columns) {
    const have = actual.columns.get(table);
    if (!have) continue;
    for (const [column, spec] of columns) {
      const got = have.get(column);
      if (!got) problems.push(`column ${table}.${column}: in schema.prisma, not in the database`);
      else if (got !== spec) problems.push(`column ${table}.${column}: schema.prisma says ${spec}, the database has ${got}`);
    }
    for (const column of have.keys()) {
      if (!columns.has(column)) problems.push(`column ${table}.${column}: in the database, not in schema.prisma`);
    }
  }
  compareSets('enum', expected.enums, actual.enums);
  compareSets('primary key', expected.primaryKeys, actual.primaryKeys);
  compareSets('unique', expected.uniques, actual.uniques);
  compareSets('index', expected.indexes, actual.indexes);
  compareSets('foreign key', expected.foreignKeys, actual.foreignKeys);
  return problems.sort();
}

interface Shape {
  /** table -> column -> "type null|not null" */
  columns: Map<string, Map<string, string>>;
  enums: Set<string>;
  primaryKeys: Set<string>;
  uniques: Set<string>;
  indexes: Set<string>;
  foreignKeys: Set<string>;
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Bytes: 'bytea',
};

function nativeType(native: [string, string[]] | null | undefined, scalar: string): string {
  if (!native) return SCALAR_TYPES[scalar] ?? scalar;
  const [name, args] = native;
  const map: Record<string, string> = {
    VarChar: 'varchar',
    Char: 'char',
    Uuid: 'uuid',
    Text: 'text',
    Integer: 'integer',
    SmallInt: 'smallint',
    Timestamptz: 'timestamptz',
    Timestamp: 'timestamp',
  };
  const base = map[name] ?? name.toLowerCase();
  return args.length ? `${base}(${args.join(',')})` : base;
}

async function expectedSchema(datamodel: string): Promise<Shape> {
  const document = getDMMF({ datamodel });
  if (!('datamodel' in document)) throw new Error(`schema.prisma does not parse: ${JSON.stringify(document)}`);
  const dm = document.datamodel;
  const shape: Shape = {
    columns: new Map(),
    enums: new Set(),
    primaryKeys: new Set(),
    uniques: new Set(),
    indexes: new Set(),
    foreignKeys: new Set(),
  };
  const tableOf = new Map(dm.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: string, field: string) => {
    const f = dm.models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };
  for (const e of dm.enums) for (const v of e.values) shape.enums.add(`${e.dbName ?? e.name}.${v.dbName ?? v.name}`);
  for (const model of dm.models) {
    const table = tableOf.get(model.name)!;
    const columns = new Map<string, string>();
    for (const field of model.fields) {
      if (field.kind === 'object') {
        if (field.relationFromFields?.length) {
          const target = tableOf.get(field.type)!;
          const from = field.relationFromFields.map((f) => columnOf(model.name, f)).join(',');
          const to = (field.relationToFields ?? []).map((f) => columnOf(field.type, f)).join(',');
          const onDelete = (field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')).toUpperCase();
          shape.foreignKeys.add(
            `${table}(${from}) -> ${target}(${to}) on delete ${onDelete.replace('SETNULL', 'SET NULL').replace('NOACTION', 'NO ACTION')}`,
          );
        }
        continue;
      }
      const type = field.kind === 'enum' ? field.type : nativeType(field.nativeType as [string, string[]] | null, field.type);
      columns.set(field.dbName ?? field.name, `${type}${field.isList ? '[]' : ''} ${field.isRequired ? 'not null' : 'null'}`);
    }
    shape.columns.set(table, columns);
  }
  for (const index of dm.indexes) {
    const table = tableOf.get(index.model)!;
    const cols = index.fields.map((f) => columnOf(index.model, f.name)).join(',');
    if (index.type === 'id') shape.primaryKeys.add(`${table}(${cols})`);
    else if (index.type === 'unique') shape.uniques.add(`${table}(${cols})`);
    else if (index.type === 'normal') shape.indexes.add(`${table}(${cols})`);
  }
  return shape;
}

async function actualSchema(connection: SqlConnection): Promise<Shape> {
  const shape: Shape = {
    columns: new Map(),
    enums: new Set(),
    primaryKeys: new Set(),
    uniques: new Set(),
    indexes: new Set(),
    foreignKeys: new Set(),
  };
  const columns = await connection.query<{ table: string; column: string; type: string; notnull: boolean }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relname <> '_prisma_migrations'`);
  for (const row of columns) {
    const type = row.type
      .replace(/^character varying/, 'varchar')
      .replace(/^character\(/, 'char(')
      .replace(/^timestamp\((\d)\) without time zone$/, 'timestamp($1)')
      .replace(/^timestamp\((\d)\) with time zone$/, 'timestamptz($1)')
      .replace(/^"(.*)"$/, '$1');
    if (!shape.columns.has(row.table)) shape.columns.set(row.table, new Map());
    shape.columns.get(row.table)!.set(row.column, `${type} ${row.notnull ? 'not null' : 'null'}`);
  }
  const enums = await connection.query<{ name: string; value: string }>(`
    SELECT t.typname AS name, e.enumlabel AS value FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
    JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema()`);
  for (const row of enums) shape.enums.add(`${row.name}.${row.value}`);
  // Partial indexes (WHERE ...) and expression indexes are extra invariants written in SQL only.
  const indexes = await connection.query<{ table: string; cols: string; primary: boolean; unique: boolean }>(`
    SELECT c.relname AS table, i.indisprimary AS primary, i.indisunique AS unique,
      (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS cols
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relname <> '_prisma_migrations'
      AND i.indpred IS NULL AND i.indexprs IS NULL`);
  for (const row of indexes) {
    const key = `${row.table}(${row.cols})`;
    (row.primary ? shape.primaryKeys : row.unique ? shape.uniques : shape.indexes).add(key);
  }
  const fks = await connection.query<{ table: string; from: string; target: string; to: string; ondelete: string }>(`
    SELECT c.relname AS table, t.relname AS target, con.confdeltype AS ondelete,
      (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS from,
      (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS to
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class t ON t.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE con.contype = 'f' AND n.nspname = current_schema()`);
  const actions: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
  for (const row of fks) {
    shape.foreignKeys.add(`${row.table}(${row.from}) -> ${row.target}(${row.to}) on delete ${actions[row.ondelete]}`);
  }
  return shape;
}
