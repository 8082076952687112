import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { Role, StaffStatus } from '../generated/prisma/enums.js';

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
  /** How the caller authenticated: 'cookie' mutations get the Origin check. */
  authVia: 'cookie' | 'bearer' | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/** The part tests build directly: `createCaller(createContextInner({ deps, user }))`. */
export function createContextInner(opts: Partial<ContextInner> & { deps: AppDeps }): Context {
  return {
    req: null,
    res: null,
    user: null,
    authVia: null,
    ip: '127.0.0.1',
    userAgent: 'test',
    requestId: 'test',
    ...opts,
  };
}

export interface Context extends ContextInner {
  req: FastifyRequest | null;
  res: FastifyReply | null;
}

export async function createContext(deps: AppDeps, req: FastifyRequest, res: FastifyReply): Promise<Context> {
  const auth = await deps.authenticate(req);
  return {
    ...createContextInner({
      deps,
      user: auth?.user ?? null,
      authVia: auth?.via ?? null,
      ip: req.ip,
      userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
      requestId: String(req.id),
    }),
    req,
    res,
  };
}
