/**
 * Splits a PostgreSQL script into statements, so a failing migration can name the statement.
 * Written by hand because the libraries that parse PostgreSQL fully (libpg_query) are large
 * native/wasm builds; a migration needs only quotes, dollar quotes and comments respected.
 */
export function splitSql(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < script.length) {
    const ch = script[i]!;
    const next = script[i + 1];
    if (ch === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      const stop = end === -1 ? script.length : end + 1;
      current += script.slice(i, stop);
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      const stop = end === -1 ? script.length : end + 2;
      current += script.slice(i, stop);
      i = stop;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      // A doubled quote inside a literal is an escaped quote.
      while (j < script.length && !(script[j] === ch && script[j + 1] !== ch)) j += script[j] === ch ? 2 : 1;
      current += script.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '$' && /^\$[A-Za-z_0-9]*\$/.test(script.slice(i))) {
      const tag = /^\$[A-Za-z_0-9]*\$/.exec(script.slice(i))![0];
      const end = script.indexOf(tag, i + tag.length);
      const stop = end === -1 ? script.length : end + tag.length;
      current += script.slice(i, stop);
      i = stop;
    } else if (ch === ';') {
      statements.push(current);
      current = '';
      i += 1;
    } else {
      current += ch;
      i += 1;
    }
  }
  statements.push(current);
  return statements.filter((s) => stripComments(s).trim() !== '').map((s) => s.trim());
}

function stripComments(statement: string): string {
  return statement.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** The statement without leading comment lines, shortened for an error message. */
export function describeStatement(statement: string, max = 160): string {
  const text = stripComments(statement).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
