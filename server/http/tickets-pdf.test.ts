import crypto from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { callerFor } from '../../test/app.js';
import { createEventWithSeats, seats } from '../../test/inventory-fixtures.js';
import { setupTestApp } from '../../test/setup-app.js';
import { createUser, signIn, type TestUser } from '../../test/users.js';
import type { Order } from '../../shared/orders.js';

const {
  t,
  users: [staff],
} = setupTestApp(['STAFF']);

let buyer: TestUser;
let other: TestUser;
let token: string;
let order: Order;

beforeAll(async () => {
  buyer = await createUser(t);
  other = await createUser(t);
  token = (await signIn(t, buyer.email, buyer.password)).accessToken;
  const { eventId } = await createEventWithSeats(t.db, { name: 'Printable Night', venue: 'Paper Hall' });
  const user = { id: buyer.id, role: 'CUSTOMER' as const, staffStatus: 'NONE' as const, sessionId: crypto.randomUUID() };
  order = await callerFor(t.app, user).tickets.purchase({ eventId, seats: seats('A3', 'A4'), idempotencyKey: crypto.randomUUID() });
});

async function get(path: string, bearer: string | null) {
  return fetch(`${t.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
}

async function pages(res: Response): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
  return (await extractText(pdf, { mergePages: false })).text;
}

describe('GET /api/orders/<id>/tickets.pdf', () => {
  it('gives the buyer all tickets of the order, one page each, as a download', async () => {
    const res = await get(`/api/orders/${order.id}/tickets.pdf`, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="tickets-${order.number}.pdf"`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const text = await pages(res);
    expect(text).toHaveLength(2);
    expect(text[0]).toContain(order.tickets[0]!.barcode);
    expect(text[1]).toContain(order.tickets[1]!.barcode);
    expect(text[0]).toContain('Paper Hall');
  });

  it('gives one ticket when a seat is named', async () => {
    const res = await get(`/api/orders/${order.id}/tickets.pdf?row=A&number=4`, token);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="tickets-${order.number}-A4.pdf"`);
    const text = await pages(res);
    expect(text).toHaveLength(1);
    expect(text[0]).toContain(order.tickets.find((x) => x.number === 4)!.barcode);
  });

  it('answers 401 without a token, 404 for someone else, 200 for staff, 400 and 404 for bad input', async () => {
    expect((await get(`/api/orders/${order.id}/tickets.pdf`, null)).status).toBe(401);
    const otherToken = (await signIn(t, other.email, other.password)).accessToken;
    const theirs = await get(`/api/orders/${order.id}/tickets.pdf`, otherToken);
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toMatchObject({ error: { data: { reason: 'ORDER_NOT_FOUND' } } });
    const clerk = await createUser(t, { role: 'STAFF', staffStatus: 'APPROVED' });
    const clerkToken = (await signIn(t, clerk.email, clerk.password)).accessToken;
    expect((await get(`/api/orders/${order.id}/tickets.pdf`, clerkToken)).status).toBe(200);
    for (const [path, status] of [
      [`/api/orders/not-an-id/tickets.pdf`, 404],
      [`/api/orders/${crypto.randomUUID()}/tickets.pdf`, 404],
      [`/api/orders/${order.id}/tickets.pdf?row=A`, 400],
      [`/api/orders/${order.id}/tickets.pdf?row=a&number=4`, 400],
      [`/api/orders/${order.id}/tickets.pdf?row=A&number=x`, 400],
      [`/api/orders/${order.id}/tickets.pdf?row=B&number=4`, 404],
    ] as const) {
      expect([path, (await get(path, token)).status]).toEqual([path, status]);
    }
  });

  it('refuses the tickets of a cancelled order: they were refunded', async () => {
    const { eventId } = await createEventWithSeats(t.db);
    const user = { id: buyer.id, role: 'CUSTOMER' as const, staffStatus: 'NONE' as const, sessionId: crypto.randomUUID() };
    const refunded = await callerFor(t.app, user).tickets.purchase({ eventId, seats: seats('B1'), idempotencyKey: crypto.randomUUID() });
    await callerFor(t.app, staff).orders.cancel({ id: refunded.id });
    const res = await get(`/api/orders/${refunded.id}/tickets.pdf`, token);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { data: { reason: 'ORDER_CANCELLED' } } });
  });
});
