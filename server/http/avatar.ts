import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps.js';
import { sendAppError, signedInWriter } from './guard.js';
import type { AppDeps } from '../deps.js';
import { AVATAR_MAX_BYTES } from '../lib/avatar-image.js';
import { AppError } from '../services/errors.js';
import { getAvatar, setAvatar } from '../services/profile/set-avatar.js';

const tooLarge = () =>
  new AppError('IMAGE_TOO_LARGE', 'The image is larger than 2 MB.', { fieldErrors: { file: ['The image is larger than 2 MB.'] } });

/** POST /api/profile/avatar (multipart field `file`) and GET /api/avatars/<file>, from the database (any instance serves any avatar). */
export async function avatarRoutes(app: FastifyInstance, deps: AppDeps, http: HttpDeps): Promise<void> {
  await app.register(async (scope) => {
    // One slot over the limit lets us tell "too large" from "exactly 2 MB".
    await scope.register(multipart, { limits: { fileSize: AVATAR_MAX_BYTES + 1, files: 1, fields: 0, parts: 2 } });

    scope.post('/api/profile/avatar', async (req, reply) => {
      try {
        const user = await signedInWriter(req, http);
        if (!req.isMultipart()) throw new AppError('INVALID_INPUT', 'Send the picture as multipart/form-data in the field "file".');
        const file = await req.file().catch(() => {
          throw new AppError('INVALID_INPUT', 'The upload could not be read.');
        });
        if (!file || file.fieldname !== 'file') throw new AppError('INVALID_INPUT', 'Send the picture in the field "file".');
        const buffer = await file.toBuffer().catch(() => {
          throw tooLarge();
        });
        if (file.file.truncated || buffer.length > AVATAR_MAX_BYTES) throw tooLarge();
        return await setAvatar(deps, user.id, buffer);
      } catch (error) {
        if (error instanceof AppError) return sendAppError(reply, error);
        throw error;
      }
    });
  });

  app.get<{ Params: { file: string } }>('/api/avatars/:file', async (req, reply) => {
    const avatar = await getAvatar(deps, req.params.file);
    if (!avatar) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such avatar.' } });
    const etag = `"${avatar.hash}"`;
    void reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('content-type', 'image/webp').send(Buffer.from(avatar.image));
  });
}
