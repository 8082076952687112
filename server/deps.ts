import type { FastifyBaseLogger } from 'fastify';
import type { Database, Db } from './db/database.js';
import type { Config } from './env.js';
import type { Background } from './lib/background.js';
import type { Counters } from './lib/counters.js';
import type { Mailer } from './lib/mail.js';
import type { AuthState } from './services/auth/auth-changes.js';
import type { LiveSeats } from './services/inventory/live-seats.js';
import type { SeatMaps } from './services/inventory/seat-map.js';
import type { MailOutbox } from './services/mail/outbox.js';
import type { QueueStreams } from './services/queue/queue-stream.js';
import type { WaitingRooms } from './services/queue/waiting-room.js';

/** What every procedure may use; built once per app by buildApp (tests build their own). Nothing here knows about HTTP. */
export interface AppDeps {
  config: Config;
  database: Database;
  db: Db;
  log: FastifyBaseLogger;
  /** Outgoing mail: SMTP when SMTP_URL is set, else .eml files in MAIL_DIR. */
  mailer: Mailer;
  /** Sign-in attempt counters, shared by every instance (Redis, or the database). */
  counters: Counters;
  /** Revoked sessions and changed roles, followed from the database by every instance. */
  authState: AuthState;
  /** Work done after the answer is sent (mail). */
  background: Background;
  /** Seat maps, cached per event and inventory version. */
  seatMaps: SeatMaps;
  /** Live seat updates: the events watched through this instance, followed and diffed (inventory.seatChanges). */
  liveSeats: LiveSeats;
  /** Waiting rooms of on-sales: settings cached per instance for a second (the admission pass check). */
  waitingRooms: WaitingRooms;
  /** The queue position streams (queue.status), one reading per watched room and second. */
  queueStreams: QueueStreams;
  /** Mail about orders, queued in the order's transaction and sent after it (kick() after queuing). */
  outbox: MailOutbox;
}
