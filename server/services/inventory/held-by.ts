/**
 * The SQL condition "seat `alias` is held, unexpired, by the user in `userParam`" (a placeholder
 * such as `$2`), for statements that look up one buyer's holds on an event (with a condition on
 * the event beside it). The status is compared as text so the planner cannot answer through
 * "Ticket_eventId_status_holdExpiresAt_idx": its statistics rarely see many RESERVED seats, so it
 * judged the event's RESERVED range nearly empty, chose that index, and each call read every seat
 * held on the event. "Ticket_heldById_eventId_idx" (the buyer's seats on the event) is what such a
 * lookup reads instead. The database functions do the same (migration 20261210100000_held_seat_lookups).
 */
export function heldBy(alias: string, userParam: string): string {
  return `${alias}.status::text = 'RESERVED' AND ${alias}."heldById" = ${userParam}::uuid AND ${alias}."holdExpiresAt" > (now() AT TIME ZONE 'UTC')`;
}
