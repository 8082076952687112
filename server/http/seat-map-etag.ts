import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HttpDeps } from './deps.js';
import type { AppDeps } from '../deps.js';
import { isStaff } from '../services/users/viewer.js';

/** Seat maps differ per viewer (their own seats), so the viewer is part of the tag; never their id itself. */
export function seatMapEtag(version: string, viewerId: string | null): string {
  const viewer = viewerId ? crypto.createHash('sha256').update(viewerId).digest('base64url').slice(0, 12) : 'anon';
  return `W/"seatmap-${version}-${viewer}"`;
}

export const SEAT_MAP_PROCEDURES = new Set(['inventory.seatMap', 'inventory.seatMapCompact']);
const input = z.object({ eventId: z.uuid() });

/**
 * A browser polling an unchanged seat map (`If-None-Match` with the ETag it was given) gets 304 Not
 * Modified after one small query, before tRPC runs at all. Anything else (a batch, a changed map,
 * an event that is gone) goes on to the procedure, which answers in full.
 */
export function seatMapNotModified(app: FastifyInstance, deps: AppDeps, http: HttpDeps): void {
  app.addHook('preHandler', async (req, reply) => {
    const given = req.headers['if-none-match'];
    if (req.method !== 'GET' || !given || req.routeOptions.url !== '/trpc/:path') return;
    const procedure = (req.params as { path?: string }).path;
    const query = req.query as { batch?: string; input?: string };
    if (!procedure || !SEAT_MAP_PROCEDURES.has(procedure) || query.batch || typeof query.input !== 'string') return;
    let eventId: string;
    try {
      eventId = input.parse(JSON.parse(query.input)).eventId;
    } catch {
      return;
    }
    // An event behind a waiting room answers only with a valid pass: the procedure checks it.
    const room = await deps.waitingRooms.room(deps, eventId).catch(() => undefined);
    if (room === undefined || (room && !room.doorsOpen)) return;
    const auth = await http.authenticate(req);
    const version = await deps.seatMaps.versionOf(deps, eventId, isStaff(auth?.user ?? null)).catch(() => null);
    if (version === null) return;
    const etag = seatMapEtag(version, auth?.user.id ?? null);
    if (!given.split(',').some((tag) => tag.trim() === etag)) return;
    return reply.code(304).header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'authorization, cookie').send();
  });
}

/** tRPC's responseMeta: a seat map also varies with who is asking (tRPC writes Vary itself, so it is added there). */
export function seatMapResponseMeta({ paths }: { paths?: readonly string[] }): { headers?: Headers } {
  return paths?.some((p) => SEAT_MAP_PROCEDURES.has(p)) ? { headers: new Headers([['vary', 'authorization, cookie']]) } : {};
}
