/**
 * Advisory transaction-lock namespaces (the first key of pg_advisory_xact_lock(int, int)); the second
 * key is hashtext() of what is locked. A hash collision only makes two callers wait for each other.
 */
export const LOCK = {
  /** One user's holds on one event: keeps the per-user hold limit exact (taken inside tessera_reserve()). */
  userHolds: 4101,
  /** One event's seat generation: two generate calls cannot interleave their clash checks. */
  generate: 4103,
} as const;
