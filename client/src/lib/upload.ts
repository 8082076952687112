import { z } from 'zod';
import { fetchRenewing, refusalMessage } from './plain-route';

/** The avatar route is plain HTTP, outside the router's types: its answers are read through schemas. */
const uploaded = z.object({ avatarUrl: z.string().min(1) });

/** POST /api/profile/avatar (multipart field `file`), renewing an expired access token once. */
export async function uploadAvatar(file: File): Promise<{ avatarUrl: string }> {
  const send = () => {
    const body = new FormData();
    body.append('file', file);
    return fetch('/api/profile/avatar', { method: 'POST', body, credentials: 'include' });
  };
  const response = await fetchRenewing(send);
  const payload: unknown = await response.json().catch(() => null);
  const ok = uploaded.safeParse(payload);
  if (response.ok && ok.success) return { avatarUrl: ok.data.avatarUrl };
  throw new Error(refusalMessage(payload) ?? (response.status === 413 ? 'That image is too large.' : 'The picture could not be uploaded.'));
}
