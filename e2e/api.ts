import { createTesseraClient } from '../shared/sdk';
import type { PaymentMethod } from '../shared/orders';
import { rowName } from '../shared/seats';

/**
 * Test setup through the typed SDK (`shared/sdk.ts`), as a developer's script does it: the browser
 * tests exercise the SDK for free, and a change to a procedure's shape breaks this file at compile
 * time rather than at run time.
 */
export async function tokenFor(baseUrl: string, email: string, password: string): Promise<string> {
  const client = createTesseraClient({ url: baseUrl, email, password });
  await client.signIn();
  const { accessToken } = client.tokens();
  if (!accessToken) throw new Error(`no access token for ${email}`);
  return accessToken;
}

/** An on-sale event with rows x seats, made through the API; the rows are split among the tiers front to back, in the order given. */
export async function seedEvent(
  baseUrl: string,
  token: string,
  spec: {
    name: string;
    rows: number;
    seatsPerRow: number;
    tiers: Array<{ name: string; priceCents: number }>;
    venue?: string;
    inDays?: number;
    paymentMethods?: PaymentMethod[];
  },
): Promise<string> {
  const api = createTesseraClient({ url: baseUrl, accessToken: token });
  const event = await api.events.create.mutate({
    name: spec.name,
    venue: spec.venue ?? 'Grand Arena',
    startsAt: new Date(Date.now() + (spec.inDays ?? 40) * 86_400_000).toISOString(),
    status: 'ON_SALE',
    description: 'Measured in a browser test.',
    ...(spec.paymentMethods ? { paymentMethods: spec.paymentMethods } : {}),
  });
  const saved = await api.pricing.setTiers.mutate({ eventId: event.id, tiers: spec.tiers.map((t) => ({ ...t, currency: 'USD' })) });
  // The front rows get the first tier of the spec, the back rows the last.
  const tiers = spec.tiers.map((t) => saved.find((s) => s.name === t.name)!);
  const rows = Array.from({ length: spec.rows }, (_, i) => ({
    name: rowName(i),
    seats: spec.seatsPerRow,
    tierId: tiers[Math.min(tiers.length - 1, Math.floor((i / spec.rows) * tiers.length))]!.id,
  }));
  await api.inventory.generate.mutate({ eventId: event.id, rows });
  return event.id;
}
