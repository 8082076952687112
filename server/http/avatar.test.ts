import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app.js';
import { createUser, signIn, type SignedIn } from '../../test/users.js';

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

  it('keeps the image in the database: another instance with no shared disk serves it, with an ETag and 304', async () => {
    const other = await startTestApp({ db: t.db, config: { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-other-')) } });
    try {
      const image = await fetch(`${other.url}${first}`);
      expect(image.status).toBe(200);
      const etag = image.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
      expect(first).toContain(etag!.slice(1, -1));
      const again = await fetch(`${other.url}${first}`, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
    } finally {
      await other.close();
    }
    expect(fs.existsSync(path.join(t.config.dataDir, 'avatars', path.basename(first)))).toBe(false);
  });

  it('replaces the previous avatar; the old URL stops answering', async () => {
    const res = await upload(
      await sharp(await png(100, 500))
        .jpeg()
        .toBuffer(),
      { name: 'x.jpg', type: 'image/jpeg' },
    );
    expect(res.status).toBe(200);
    const { avatarUrl } = await res.json();
    expect(avatarUrl).not.toBe(first);
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

describe('avatars stored as files by earlier versions', () => {
  it('are copied into the database at start-up, once, and the files are kept', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-old-avatars-'));
    const u = await createUser(t);
    const oldName = `${u.id}-${crypto.randomBytes(12).toString('hex')}.webp`;
    const webp = await sharp(await png(256, 256))
      .webp()
      .toBuffer();
    fs.mkdirSync(path.join(dataDir, 'avatars'));
    fs.writeFileSync(path.join(dataDir, 'avatars', oldName), webp);
    // A stray file of nobody's is left alone.
    fs.writeFileSync(path.join(dataDir, 'avatars', `${crypto.randomUUID()}-${'0'.repeat(24)}.webp`), webp);
    await t.db.prisma.user.update({ where: { id: u.id }, data: { avatarUrl: `/api/avatars/${oldName}` } });

    const upgraded = await startTestApp({ db: t.db, config: { dataDir } });
    try {
      const { avatarUrl } = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { avatarUrl: true } });
      expect(avatarUrl).not.toBe(`/api/avatars/${oldName}`);
      const image = await fetch(`${upgraded.url}${avatarUrl}`);
      expect(image.status).toBe(200);
      expect(Buffer.from(await image.arrayBuffer()).equals(webp)).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'avatars', oldName))).toBe(true);
      expect(await t.db.prisma.avatar.count({ where: { userId: u.id } })).toBe(1);
    } finally {
      await upgraded.close();
    }
  });
});
