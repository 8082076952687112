import fs from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../../deps.js';
import { AVATAR_NAME, AVATAR_URL_PREFIX, avatarHash, avatarUrlOf } from './set-avatar.js';

/**
 * Avatars used to be files under DATA_DIR/avatars. At start-up, each file that is still some
 * user's current avatar and is not in the database yet is copied in (the user's URL moves to the
 * new, hash-named one); the files themselves are left where they are. Idempotent: a second run,
 * or another instance with the same files, finds nothing to do.
 */
export async function importAvatarFiles(deps: Pick<AppDeps, 'db' | 'config' | 'log'>): Promise<number> {
  const dir = path.join(deps.config.dataDir, 'avatars');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let imported = 0;
  for (const name of names) {
    const match = AVATAR_NAME.exec(name);
    if (!match) continue;
    const userId = match[1]!;
    const oldUrl = `${AVATAR_URL_PREFIX}${name}`;
    const user = await deps.db.user.findFirst({ where: { id: userId, avatarUrl: oldUrl }, select: { id: true } });
    if (!user) continue;
    const image = await fs.readFile(path.join(dir, name));
    const hash = avatarHash(image);
    await deps.db.$transaction(async (tx) => {
      // Only if it is still this user's avatar: an upload meanwhile wins.
      const { count } = await tx.user.updateMany({ where: { id: userId, avatarUrl: oldUrl }, data: { avatarUrl: avatarUrlOf(userId, hash) } });
      if (count === 1) {
        await tx.avatar.upsert({
          where: { userId },
          create: { userId, hash, image: new Uint8Array(image) },
          update: { hash, image: new Uint8Array(image) },
          select: { userId: true },
        });
        imported++;
      }
    });
  }
  if (imported > 0) deps.log.info({ imported, dir }, 'avatar files copied into the database (the files are kept)');
  return imported;
}
