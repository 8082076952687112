import { renewSession } from '../trpc';

/** POST /api/profile/avatar (multipart field `file`), renewing an expired access token once. */
export async function uploadAvatar(file: File): Promise<{ avatarUrl: string }> {
  const send = () => {
    const body = new FormData();
    body.append('file', file);
    return fetch('/api/profile/avatar', { method: 'POST', body, credentials: 'include' });
  };
  let response = await send();
  if (response.status === 401 && (await renewSession())) response = await send();
  // Refusals come as { error: { code, message, fieldErrors? } } (server/routes/avatar.ts).
  const payload = (await response.json().catch(() => ({}))) as { avatarUrl?: string; error?: { message?: string } };
  if (!response.ok || !payload.avatarUrl) {
    throw new Error(payload.error?.message ?? (response.status === 413 ? 'That image is too large.' : 'The picture could not be uploaded.'));
  }
  return { avatarUrl: payload.avatarUrl };
}
