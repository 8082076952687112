import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app.js';
import { createUser, signIn, type SignedIn } from '../../test/users.js';
import { avatarDir } from '../services/profile/set-avatar.js';

let t: TestApp;
let session: SignedIn;
let userId: string;
beforeAll(async () => {
  t = await startTestApp();
  const u = await createUser(t);
  userId = u.id;
  session = await signIn(t, u.email, u.password);
});
afterAll(() => t.close());

const png = (width = 400, height = 300) =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .png()
    .toBuffer();

function upload(body: Buffer, options: { name?: string; type?: string; headers?: Record<string, string>; field?: string } = {}) {
  const form = new FormData();
  form.append(options.field ?? 'file', new Blob([new Uint8Array(body)], { type: options.type ?? 'image/png' }), options.name ?? 'me.png');
  return fetch(`${t.url}/api/profile/avatar`, {
    method: 'POST',
    headers: options.headers ?? { authorization: `Bearer ${session.accessToken}` },
    body: form,
  });
}

const currentAvatar = async () => (await t.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { avatarUrl: true } })).avatarUrl;

describe('POST /api/profile/avatar', () => {
  let first: string;

  it('stores a 256x256 WebP and serves it with a content type and cache headers', async () => {
    const res = await upload(await png());
    expect(res.status).toBe(200);
    const { avatarUrl } = await res.json();
    expect(avatarUrl).toMatch(/^\/api\/avatars\/.+\.webp$/);
    expect(await currentAvatar()).toBe(avatarUrl);
    const image = await fetch(`${t.url}${avatarUrl}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(image.headers.get('cache-control')).toContain('immutable');
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
    first = avatarUrl;
  });

  it('replaces the previous avatar and removes its file', async () => {
    const res = await upload(
      await sharp(await png(100, 500))
        .jpeg()
        .toBuffer(),
      { name: 'x.jpg', type: 'image/jpeg' },
    );
    expect(res.status).toBe(200);
    const { avatarUrl } = await res.json();
    expect(avatarUrl).not.toBe(first);
    expect(fs.existsSync(path.join(avatarDir(t.config.dataDir), path.basename(first)))).toBe(false);
    expect((await fetch(`${t.url}${first}`)).status).toBe(404);
    first = avatarUrl;
  });

  it.each([
    ['a text file named .png', () => Promise.resolve(Buffer.from('definitely not a picture')), /not an image/],
    ['a truncated image', async () => (await png(900, 900)).subarray(0, 400), /damaged|not an image/],
    [
      'a GIF',
      () =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
          .gif()
          .toBuffer(),
      /Only JPEG, PNG and WebP/,
    ],
    ['a file over 2 MB', () => Promise.resolve(Buffer.alloc(2 * 1024 * 1024 + 10, 1)), /larger than 2 MB/],
  ])('refuses %s with a 400 and keeps the old avatar', async (_name, make, message) => {
    const res = await upload(await make());
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(message);
    expect(await currentAvatar()).toBe(first);
  });

  it('refuses a request that is not multipart, or uses another field', async () => {
    const json = await fetch(`${t.url}/api/profile/avatar`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect((await upload(await png(), { field: 'picture' })).status).toBe(400);
    expect(await currentAvatar()).toBe(first);
  });

  it('is 401 for anonymous callers', async () => {
    expect((await upload(await png(), { headers: {} })).status).toBe(401);
  });

  it('with cookies, refuses a foreign origin and accepts our own', async () => {
    const foreign = await upload(await png(), { headers: { cookie: session.cookie, origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(await currentAvatar()).toBe(first);
    const own = await upload(await png(), { headers: { cookie: session.cookie, origin: t.url } });
    expect(own.status).toBe(200);
  });

  it('serves only names it generated', async () => {
    expect((await fetch(`${t.url}/api/avatars/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/avatars/nothing.webp`)).status).toBe(404);
  });
});
