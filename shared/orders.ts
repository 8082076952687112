import { z } from 'zod';
import type { IssuedTicket } from './tickets.js';

export const orderByIdInput = z.object({ id: z.uuid() });
export const cancelOrderInput = z.object({ id: z.uuid() });

export const listOrdersInput = z
  .object({
    eventId: z.uuid().optional(),
    userId: z.uuid().optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .prefault({});
export type ListOrdersInput = z.infer<typeof listOrdersInput>;

export type OrderStatus = 'PAID' | 'CANCELLED';

export interface Order {
  id: string;
  /** What people read out and search for: TSR-7KQ4-2M. */
  number: string;
  eventId: string;
  /** Added for lists: which event, without a second call. */
  eventName: string;
  status: OrderStatus;
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  currency: string;
  createdAt: string;
  cancelledAt: string | null;
  tickets: IssuedTicket[];
}

export interface OrderPage {
  items: Order[];
  nextCursor: string | null;
}
