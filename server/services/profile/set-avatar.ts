import crypto from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { ImageError, toAvatarWebp } from '../../lib/avatar-image.js';
import { AppError } from '../errors.js';

export const AVATAR_URL_PREFIX = '/api/avatars/';
/** `<userId>-<first 24 hex digits of the image's sha256>.webp`: only names of this shape are ever served. */
export const AVATAR_NAME = /^([0-9a-f-]{36})-([0-9a-f]{24})\.webp$/;

export const avatarHash = (webp: Buffer): string => crypto.createHash('sha256').update(webp).digest('hex').slice(0, 24);
export const avatarUrlOf = (userId: string, hash: string): string => `${AVATAR_URL_PREFIX}${userId}-${hash}.webp`;

/**
 * Stores a new avatar in the database and points the user at it, in one transaction (the previous
 * image is replaced, so its URL stops answering). The URL names the image's hash, so browsers may
 * cache it forever. Bad images leave everything as it was.
 */
export async function setAvatar(deps: Pick<AppDeps, 'db'>, userId: string, upload: Buffer): Promise<{ avatarUrl: string }> {
  let webp: Buffer;
  try {
    webp = await toAvatarWebp(upload);
  } catch (error) {
    if (error instanceof ImageError) throw new AppError('IMAGE_UNREADABLE', error.message, { fieldErrors: { file: [error.message] } });
    throw error;
  }
  const hash = avatarHash(webp);
  const avatarUrl = avatarUrlOf(userId, hash);
  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId }, data: { avatarUrl } });
    if (count === 0) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
    const image = new Uint8Array(webp);
    await tx.avatar.upsert({
      where: { userId },
      create: { userId, hash, image },
      update: { hash, image, createdAt: new Date() },
      select: { userId: true },
    });
  });
  return { avatarUrl };
}

/** The image behind an avatar URL's file name, or null (unknown, replaced, or not a name we make). */
export async function getAvatar(deps: Pick<AppDeps, 'db'>, name: string): Promise<{ hash: string; image: Uint8Array } | null> {
  const match = AVATAR_NAME.exec(name);
  if (!match) return null;
  const [, userId, hash] = match;
  const avatar = await deps.db.avatar.findFirst({ where: { userId: userId!, hash: hash! }, select: { hash: true, image: true } });
  return avatar;
}
