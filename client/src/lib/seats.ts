import { seatLabel } from '../../../shared/seats';
import type { RouterInputs } from '../trpc';

/** A seat as every procedure names it: its row and its number. */
export type Seat = RouterInputs['tickets']['reserve']['seats'][number];

/** Seats as people read them: "A5, A6". */
export const seatList = (seats: readonly Seat[]) => seats.map(seatLabel).join(', ');
