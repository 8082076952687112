import { z } from 'zod';
import { renewSession } from '../trpc';

/** The avatar route is plain HTTP, outside the router's types: its answers are read through schemas. */
const uploaded = z.object({ avatarUrl: z.string().min(1) });
// Refusals come as { error: { code, message, fieldErrors? } } (server/routes/avatar.ts).
const refused = z.object({ error: z.object({ message: z.string() }) });

/** POST /api/profile/avatar (multipart field `file`), renewing an expired access token once. */
export async function uploadAvatar(file: File): Promise<{ avatarUrl: string }> {
  const send = () => {
    const body = new FormData();
    body.append('file', file);
    return fetch('/api/profile/avatar', { method: 'POST', body, credentials: 'include' });
  };
  let response = await send();
  if (response.status === 401 && (await renewSession())) response = await send();
  const payload: unknown = await response.json().catch(() => null);
  const ok = uploaded.safeParse(payload);
  if (response.ok && ok.success) return { avatarUrl: ok.data.avatarUrl };
  const refusal = refused.safeParse(payload);
  throw new Error(
    refusal.success ? refusal.data.error.message : response.status === 413 ? 'That image is too large.' : 'The picture could not be uploaded.',
  );
}
