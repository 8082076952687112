import { seatLabel } from '../../../shared/inventory';
import type { RouterInputs } from '../trpc';

/** A seat as every procedure names it: its row and its number. */
export type Seat = RouterInputs['tickets']['reserve']['seats'][number];

/** The client's one seat key, "A:5": for sets, maps, React keys and the seat map's buttons. */
export const seatKey = (seat: Seat) => `${seat.row}:${seat.number}`;

/** Seats as people read them: "A5, A6" (shared/inventory.ts's label). */
export const seatList = (seats: readonly Seat[]) => seats.map(seatLabel).join(', ');

export { compareSeats, seatLabel } from '../../../shared/inventory';
