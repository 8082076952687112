import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../test/app.js';
import type { AppRouter } from './routers/router.js';
import { AppError } from './services/errors.js';
import { publicProcedure, router } from './trpc/init.js';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import { trpcHandlerOptions } from './app.js';

let t: TestApp;
let clientDir: string;
beforeAll(async () => {
  clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-client-'));
  fs.mkdirSync(path.join(clientDir, 'assets'));
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Tessera</title><div id="root"></div>');
  fs.writeFileSync(path.join(clientDir, 'assets', 'app-abc123.js'), 'console.log(1)');
  // A router of test procedures on the same builders, to pin down the error contract.
  const probe = router({
    needsNumber: publicProcedure.input(z.object({ n: z.number().int().min(1), name: z.string().max(3) })).query(({ input }) => input.n),
    conflict: publicProcedure.mutation(() => {
      throw new AppError('SEATS_UNAVAILABLE', 'That seat is taken.', { unavailable: [{ row: 'A', number: 1 }] });
    }),
    large: publicProcedure.query(() => ({ rows: Array.from({ length: 50 }, (_, i) => ({ row: i, status: 'AVAILABLE' })) })),
    crash: publicProcedure.query(() => {
      throw new Error('secret connection string postgres://admin:hunter2@db');
    }),
  });
  t = await startTestApp({
    clientDir,
    extend: async (app, deps, http) => {
      await app.register(fastifyTRPCPlugin, { prefix: '/probe', trpcOptions: trpcHandlerOptions(deps, http, probe) });
    },
  });
});
afterAll(() => t.close());

describe('HTTP app', () => {
  it('answers GET /healthz', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers the health procedure through a typed tRPC client, naming the database', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${t.url}/trpc` })] });
    const health = await client.health.query();
    expect(health).toEqual({ status: 'ok', database: t.db.label, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('serves batched GET requests with long paths', async () => {
    const paths = Array.from({ length: 10 }, () => 'inventory.summary').join(',');
    expect(paths.length).toBeGreaterThan(100);
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i, { eventId: crypto.randomUUID() }]))));
    const res = await fetch(`${t.url}/trpc/${paths}?batch=1&input=${input}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toHaveLength(10);
  });

  it('a path over the limit is 414 "URI Too Long" with a short JSON answer that does not echo the path', async () => {
    const paths = Array.from({ length: 500 }, () => 'events.list').join(',');
    const res = await fetch(`${t.url}/trpc/${paths}?batch=1`);
    expect(res.status).toBe(414);
    const text = await res.text();
    expect(text.length).toBeLessThan(300);
    expect(JSON.parse(text)).toEqual({
      statusCode: 414,
      code: 'FST_ERR_MAX_PARAM_LENGTH',
      error: 'URI Too Long',
      message: 'The request path is longer than 5000 characters: send fewer calls in one batch.',
    });
  });

  it('compresses large answers for clients that accept it, and leaves small ones alone', async () => {
    const paths = Array.from({ length: 10 }, () => 'large').join(',');
    const url = `${t.url}/probe/${paths}?batch=1&input=${encodeURIComponent('{}')}`;
    const get = (encoding: string | null) =>
      new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        http
          .get(url, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const plain = await get(null);
    expect(plain.encoding).toBeUndefined();
    const gzip = await get('gzip');
    expect(gzip.encoding).toBe('gzip');
    expect(gzip.body.length).toBeLessThan(plain.body.length / 5);
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(plain.body.toString());
    const br = await get('br');
    expect(br.encoding).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    const small = await new Promise<string | undefined>((resolve) =>
      http.get(`${t.url}/healthz`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        res.resume();
        resolve(res.headers['content-encoding']);
      }),
    );
    expect(small).toBeUndefined();
  });

  it('gives every response a request id, and keeps a sane one the caller sent', async () => {
    const mine = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-123');
    const generated = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the page security headers with pages, and JSON only what JSON needs', async () => {
    const page = await fetch(`${t.url}/some/client/route`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    for (const path of ['/healthz', '/trpc/health']) {
      const json = await fetch(`${t.url}${path}`);
      expect(json.headers.get('x-content-type-options')).toBe('nosniff');
      expect(json.headers.get('content-security-policy')).toBeNull();
    }
  });

  it('takes a mutation without input sent with no body at all (curl -X POST)', async () => {
    for (const headers of [{}, { 'content-type': 'application/json' }] as Record<string, string>[]) {
      const res = await fetch(`${t.url}/trpc/auth.logout`, { method: 'POST', headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ result: { data: { ok: true } } });
    }
    // A body that is not JSON is still refused clearly.
    const bad = await fetch(`${t.url}/trpc/auth.logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(bad.status).toBe(400);
  });

  it('refuses a body over the limit', async () => {
    const res = await fetch(`${t.url}/trpc/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('serves the client at / and for client-side routes, but never for API paths', async () => {
    for (const route of ['/', '/events/123', '/login?next=%2Ftickets']) {
      const res = await fetch(`${t.url}${route}`);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('<div id="root">');
    }
    const asset = await fetch(`${t.url}/assets/app-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const route of ['/trpc/nope', '/api/nope', '/assets/missing.js']) {
      const res = await fetch(`${t.url}${route}`);
      expect(res.status, route).toBe(404);
      expect(res.headers.get('content-type'), route).toContain('application/json');
    }
  });
});

describe('error contract', () => {
  it('invalid input is BAD_REQUEST with fieldErrors per field', async () => {
    const input = encodeURIComponent(JSON.stringify({ n: 0.5, name: 'toolong' }));
    const res = await fetch(`${t.url}/probe/needsNumber?input=${input}`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(Object.keys(body.error.data.fieldErrors).sort()).toEqual(['n', 'name']);
    expect(body.error.message).toBe('Some fields are not valid.');
  });

  it('a domain error keeps its code, status and data', async () => {
    const res = await fetch(`${t.url}/probe/conflict`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error).toMatchObject({
      message: 'That seat is taken.',
      data: { code: 'CONFLICT', httpStatus: 409, reason: 'SEATS_UNAVAILABLE', unavailable: [{ row: 'A', number: 1 }] },
    });
    expect(body.error.data.stack).toBeUndefined();
  });

  it('an unexpected error is a bland 500, logged once in full with the request id', async () => {
    const res = await fetch(`${t.url}/probe/crash`, { headers: { 'x-request-id': 'crash-1' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('stack');
    expect(JSON.parse(text).error.data.requestId).toBe('crash-1');
    const logged = t.logs.filter((l) => l.msg === 'procedure failed' && l.reqId === 'crash-1');
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged[0])).toContain('hunter2');
  });

  it('a typed client sees the code', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${t.url}/trpc` })] });
    // @ts-expect-error: not a procedure of the router
    const failure = await client.nope.query().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TRPCClientError);
    expect((failure as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
  });
});
