import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../services/errors.js';
import { toTRPCError } from '../trpc/errors.js';
import type { AuthUser } from '../trpc/context.js';
import type { HttpDeps } from './deps.js';

/**
 * Plain routes (beside tRPC) follow the procedures' rules through these two: the same caller
 * check (401 without a good token, 403 for a cookie write from another site) and the same error
 * answer as a tRPC call (`{ error: { message, data: { code, httpStatus, reason, ... } } }`).
 */
export async function signedInWriter(req: FastifyRequest, http: HttpDeps): Promise<AuthUser> {
  const auth = await http.authenticate(req);
  if (!auth) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
  if (http.isCrossSite(req)) throw new AppError('NOT_ALLOWED', 'Cross-site request refused.');
  return auth.user;
}

export function sendAppError(reply: FastifyReply, error: AppError): FastifyReply {
  const httpStatus = getHTTPStatusCodeFromError(toTRPCError(error));
  return reply.code(httpStatus).send({
    error: { message: error.message, data: { code: error.code, httpStatus, reason: error.reason, ...error.data } },
  });
}
