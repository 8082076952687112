import { z } from 'zod';
import { renewSession } from '../trpc';

// Plain routes (avatars, ticket PDFs) refuse with { error: { message, data } } (server/http/guard.ts).
const refused = z.object({ error: z.object({ message: z.string() }) });

/** The message of a plain route's refusal, if the payload is one. */
export function refusalMessage(payload: unknown): string | null {
  const refusal = refused.safeParse(payload);
  return refusal.success ? refusal.data.error.message : null;
}

/** Sends a plain-route request under the visitor's session, renewing an expired access token once. */
export async function fetchRenewing(send: () => Promise<Response>): Promise<Response> {
  const response = await send();
  return response.status === 401 && (await renewSession()) ? send() : response;
}
