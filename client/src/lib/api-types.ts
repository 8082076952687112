/**
 * The shapes of /work/shared/API.md that pages pass between components. Data itself always comes
 * through the tRPC hooks (with the server's inferred types); these name what a prop expects.
 */
export type { User, Role, StaffStatus, SessionInfo } from '../../../shared/auth';
export type { AuditEntry } from '../../../shared/admin';
export type { SalesReport } from '../../../shared/sales';
export type { Seat, SeatStatus, SeatMap as SeatMapData } from '../../../shared/inventory';
export type { Tier, Quote } from '../../../shared/pricing';
export type { IssuedTicket, Hold } from '../../../shared/tickets';
export type { Order } from '../../../shared/orders';
export type { Event as EventSummary, EventWithTiers } from '../../../shared/events';

export const seatKey = (seat: { row: string; number: number }) => `${seat.row}:${seat.number}`;
