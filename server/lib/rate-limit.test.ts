import { describe, expect, it } from 'vitest';
import { trpcProcedures } from './rate-limit.js';

describe('procedure names in a tRPC URL', () => {
  it('reads single, batched and encoded paths', () => {
    expect(trpcProcedures('/trpc/auth.login')).toEqual(['auth.login']);
    expect(trpcProcedures('/trpc/auth.login,auth.me?batch=1&input=%7B%7D')).toEqual(['auth.login', 'auth.me']);
    expect(trpcProcedures('/trpc/auth.me%2Cauth.login?batch=1')).toEqual(['auth.me', 'auth.login']);
  });

  it('ignores other paths and undecodable ones', () => {
    expect(trpcProcedures('/healthz')).toEqual([]);
    expect(trpcProcedures('/trpcx/auth.login')).toEqual([]);
    expect(trpcProcedures('/trpc/%E0%A4%A')).toEqual([]);
  });
});
