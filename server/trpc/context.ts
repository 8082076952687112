import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { Role, StaffStatus } from '../generated/prisma/enums.js';
import type { RequestMeta } from '../services/audit/record-event.js';
import { isStaff, type Viewer } from '../services/users/viewer.js';

/** The caller, as the access token says (and the session store confirms). */
export interface AuthUser {
  id: string;
  role: Role;
  staffStatus: StaffStatus;
  sessionId: string;
}

export interface ContextInner {
  deps: AppDeps;
  user: AuthUser | null;
  /** `user` reduced to what decides visibility; null when anonymous. */
  viewer: Viewer | null;
  /** Where the request came from, for the audit log and the sessions list. */
  meta: RequestMeta;
  /** How the caller authenticated: 'cookie' mutations get the Origin check. */
  authVia: 'cookie' | 'bearer' | null;
  /** A cookie-carrying request from another site (CSRF): mutations are refused. */
  crossSite: boolean;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/** The part tests build directly: `createCaller(createContextInner({ deps, user }))`. */
export function createContextInner(opts: Partial<Omit<ContextInner, 'viewer' | 'meta'>> & { deps: AppDeps }): Context {
  const user = opts.user ?? null;
  const ip = opts.ip === undefined ? '127.0.0.1' : opts.ip;
  const userAgent = opts.userAgent === undefined ? 'test' : opts.userAgent;
  return {
    req: null,
    res: null,
    authVia: null,
    crossSite: false,
    requestId: 'test',
    ...opts,
    user,
    ip,
    userAgent,
    viewer: user ? { id: user.id, staff: isStaff(user) } : null,
    meta: { ip, userAgent },
  };
}

export interface Context extends ContextInner {
  req: FastifyRequest | null;
  res: FastifyReply | null;
}

/** What the HTTP layer works out about a request before any procedure runs. */
export interface RequestFacts {
  auth: { user: AuthUser; via: 'cookie' | 'bearer' } | null;
  crossSite: boolean;
}

export function createContext(deps: AppDeps, facts: RequestFacts, req: FastifyRequest, res: FastifyReply): Context {
  return {
    ...createContextInner({
      deps,
      user: facts.auth?.user ?? null,
      authVia: facts.auth?.via ?? null,
      crossSite: facts.crossSite,
      ip: req.ip,
      userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
      requestId: String(req.id),
    }),
    req,
    res,
  };
}
