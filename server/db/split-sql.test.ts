import { describe, expect, it } from 'vitest';
import { describeStatement, splitSql } from './split-sql.js';

describe('splitSql', () => {
  it('splits on semicolons outside quotes, dollar quotes and comments', () => {
    const script = `-- a comment; not a split
CREATE TABLE "a;b" (x text DEFAULT 'it''s; fine');
/* block; comment */ INSERT INTO t VALUES ('');
CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
DO $$ BEGIN PERFORM 1; END $$;
-- trailing comment only`;
    expect(splitSql(script)).toEqual([
      `-- a comment; not a split\nCREATE TABLE "a;b" (x text DEFAULT 'it''s; fine')`,
      `/* block; comment */ INSERT INTO t VALUES ('')`,
      `CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql`,
      `DO $$ BEGIN PERFORM 1; END $$`,
    ]);
  });

  it('describes a statement without its comments, on one line', () => {
    expect(describeStatement('-- AddForeignKey\nALTER TABLE "x"\n  ADD COLUMN y int')).toBe('ALTER TABLE "x" ADD COLUMN y int');
    expect(describeStatement(`SELECT ${'x'.repeat(300)}`, 20)).toHaveLength(20);
  });
});
