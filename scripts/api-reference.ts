/**
 * Writes docs/api-reference.md from the router itself: every procedure with its kind, who may call
 * it, its input as JSON Schema (from its zod schemas) and the errors it can answer, and the table of
 * error reasons. `npm run docs:api` writes it; `npm run docs:api -- --check` fails when the
 * committed file is not what the router says (CI runs that).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { appRouter } from '../server/routers/router.js';
import { REASONS } from '../server/services/errors.js';
import type { ProcedureMeta } from '../server/trpc/init.js';

const TARGET = path.resolve(import.meta.dirname, '../docs/api-reference.md');

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  meta?: ProcedureMeta;
  inputs: unknown[];
}

const WHO: Record<ProcedureMeta['access'], string> = {
  public: 'anyone',
  user: 'signed in',
  staff: 'approved staff or an admin',
  admin: 'an admin',
};

function errorsOf(def: ProcedureDef): string[] {
  const errors: string[] = [];
  if (def.inputs.length > 0) errors.push('BAD_REQUEST (invalid input: `fieldErrors`)');
  const access = def.meta?.access ?? 'public';
  if (access !== 'public') errors.push('UNAUTHORIZED (not signed in)');
  if (access === 'staff' || access === 'admin') errors.push('FORBIDDEN (not allowed)');
  if (def.type === 'mutation') errors.push('FORBIDDEN (cookie request from another site)');
  return errors;
}

function inputSchema(inputs: unknown[]): string {
  if (inputs.length === 0) return 'none';
  const schemas = inputs.map((input) => z.toJSONSchema(input as z.ZodType, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }));
  const merged = schemas.length === 1 ? schemas[0] : { allOf: schemas };
  const { $schema: _drop, ...schema } = merged as Record<string, unknown>;
  return ['```json', JSON.stringify(schema, null, 2), '```'].join('\n');
}

export function renderReference(): string {
  const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, { _def: ProcedureDef }> }).procedures);
  const lines: string[] = [
    '# API reference',
    '',
    '<!-- Generated from the router by `npm run docs:api`; CI fails when it is stale. Do not edit by hand. -->',
    '',
    'Every procedure of the one tRPC router, in the order the router lists them. Queries are `GET /trpc/<name>?input=<JSON>`,',
    'mutations `POST /trpc/<name>` with the input as the JSON body (see `api.md` for the wire, credentials and errors).',
    '',
    '| procedure | kind | who may call it | errors besides its own reasons |',
    '|---|---|---|---|',
  ];
  for (const [name, procedure] of procedures) {
    const def = procedure._def;
    lines.push(
      `| [\`${name}\`](#${name.replace(/\./g, '').toLowerCase()}) | ${def.type} | ${WHO[def.meta?.access ?? 'public']} | ${errorsOf(def).join('; ') || '–'} |`,
    );
  }
  lines.push('', '## Inputs', '');
  for (const [name, procedure] of procedures) {
    lines.push(
      `### ${name}`,
      '',
      `${procedure._def.type}, ${WHO[procedure._def.meta?.access ?? 'public']}. Input:`,
      '',
      inputSchema(procedure._def.inputs),
      '',
    );
  }
  lines.push(
    '## Error reasons',
    '',
    'Every domain error carries `error.data.reason`; this table (server/services/errors.ts) decides its code and HTTP status.',
    'Invalid input is `INVALID_INPUT`.',
    '',
    '| reason | code |',
    '|---|---|',
    ...Object.entries(REASONS).map(([reason, code]) => `| \`${reason}\` | ${code} |`),
    '',
  );
  return lines.join('\n');
}

const text = renderReference();
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
  if (committed !== text) {
    console.error('docs/api-reference.md is stale: run `npm run docs:api` and commit the result.');
    process.exit(1);
  }
  console.log('docs/api-reference.md matches the router.');
} else {
  fs.writeFileSync(TARGET, text);
  console.log(`wrote ${path.relative(process.cwd(), TARGET)}`);
}
