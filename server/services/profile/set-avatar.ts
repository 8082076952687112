import type { AppDeps } from '../../deps.js';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ImageError, toAvatarWebp } from '../../lib/avatar-image.js';
import { AppError } from '../errors.js';

export const AVATAR_URL_PREFIX = '/api/avatars/';

export function avatarDir(dataDir: string): string {
  return path.join(dataDir, 'avatars');
}

/**
 * Stores a new avatar and points the user at it, then removes the previous file. A new random
 * file name each time lets browsers cache avatars forever. Bad images leave everything as it was.
 */
export async function setAvatar(deps: Pick<AppDeps, 'db' | 'config'>, userId: string, upload: Buffer): Promise<{ avatarUrl: string }> {
  let webp: Buffer;
  try {
    webp = await toAvatarWebp(upload);
  } catch (error) {
    if (error instanceof ImageError) throw new AppError('IMAGE_UNREADABLE', error.message, { fieldErrors: { file: [error.message] } });
    throw error;
  }
  const dir = avatarDir(deps.config.dataDir);
  await fs.mkdir(dir, { recursive: true });
  const name = `${userId}-${crypto.randomBytes(12).toString('hex')}.webp`;
  await fs.writeFile(path.join(dir, name), webp);
  const avatarUrl = `${AVATAR_URL_PREFIX}${name}`;
  const previous = await deps.db.user.findUnique({ where: { id: userId }, select: { avatarUrl: true } });
  if (!previous) {
    await fs.rm(path.join(dir, name), { force: true });
    throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
  }
  await deps.db.user.update({ where: { id: userId }, data: { avatarUrl }, select: { id: true } });
  if (previous.avatarUrl?.startsWith(AVATAR_URL_PREFIX)) {
    await fs.rm(path.join(dir, path.basename(previous.avatarUrl)), { force: true });
  }
  return { avatarUrl };
}
