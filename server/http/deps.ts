import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../trpc/context.js';

export type Authenticate = (req: FastifyRequest) => Promise<{ user: AuthUser; via: 'cookie' | 'bearer' } | null>;

/** What only the HTTP layer needs (services never see it): who is calling, and whether the request is cross-site. */
export interface HttpDeps {
  authenticate: Authenticate;
  isCrossSite(req: FastifyRequest): boolean;
}
