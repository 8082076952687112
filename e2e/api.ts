import { rowName } from '../shared/seats';

/** Plain tRPC-over-HTTP calls for test setup (no browser): what a script with a Bearer token does. */
export async function call<T>(baseUrl: string, procedure: string, input: unknown, token?: string): Promise<T> {
  const response = await fetch(`${baseUrl}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input ?? {}),
  });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!response.ok || !body.result) throw new Error(`${procedure} failed (${response.status}): ${body.error?.message ?? 'no result'}`);
  return body.result.data;
}

export async function tokenFor(baseUrl: string, email: string, password: string): Promise<string> {
  const { accessToken } = await call<{ accessToken: string }>(baseUrl, 'auth.token', { email, password });
  return accessToken;
}

/** An on-sale event with one tier and rows x seats, made through the API. */
export async function seedEvent(
  baseUrl: string,
  token: string,
  spec: { name: string; rows: number; seatsPerRow: number; tiers: Array<{ name: string; priceCents: number }> },
): Promise<string> {
  const event = await call<{ id: string }>(
    baseUrl,
    'events.create',
    {
      name: spec.name,
      venue: 'Grand Arena',
      startsAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
      status: 'ON_SALE',
      description: 'Measured in a browser test.',
    },
    token,
  );
  const tiers = await call<Array<{ id: string }>>(
    baseUrl,
    'pricing.setTiers',
    { eventId: event.id, tiers: spec.tiers.map((t) => ({ ...t, currency: 'USD' })) },
    token,
  );
  const rows = Array.from({ length: spec.rows }, (_, i) => ({
    name: rowName(i),
    seats: spec.seatsPerRow,
    tierId: tiers[Math.min(tiers.length - 1, Math.floor((i / spec.rows) * tiers.length))]!.id,
  }));
  await call(baseUrl, 'inventory.generate', { eventId: event.id, rows }, token);
  return event.id;
}
