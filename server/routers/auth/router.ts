import type { MfaChallenge, Session, SessionInfo, TokenResponse, User } from '../../../shared/auth.js';
import { loginInput, logoutInput, refreshInput, registerInput, revokeSessionInput, tokenInput } from '../../../shared/auth.js';
import {
  mfaDisableInput,
  mfaEnableInput,
  requestPasswordResetInput,
  resetPasswordInput,
  unlockAccountInput,
  verifyEmailInput,
  verifyMfaInput,
  type MfaSetup,
} from '../../../shared/lifecycle.js';
import { listSessions } from '../../services/auth/list-sessions.js';
import { refreshSession } from '../../services/auth/refresh-session.js';
import { register } from '../../services/auth/register.js';
import { openSession, signIn, signInForToken } from '../../services/auth/sign-in.js';
import { requestEmailVerification, verifyEmail } from '../../services/lifecycle/email-verification.js';
import { completeMfaChallenge, disableMfa, enableMfa, setupMfa } from '../../services/lifecycle/mfa.js';
import { requestPasswordReset, resetPassword } from '../../services/lifecycle/password-reset.js';
import { unlockAccount } from '../../services/lifecycle/unlock-account.js';
import { revokeOwnSession, signOut, signOutEverywhere } from '../../services/auth/sign-out.js';
import { AppError } from '../../services/errors.js';
import { getOwnUser } from '../../services/users/get-user.js';
import { toUser } from '../../services/users/user-select.js';
import { protectedProcedure, publicProcedure, router } from '../../trpc/init.js';
import { basicCredentials, clearCookies, refreshCookie, setCookies, toSession } from './http.js';
import { addressLimitedProcedure, protectedAddressLimitedProcedure } from './procedures.js';

export const authRouter = router({
  register: addressLimitedProcedure.input(registerInput).mutation(async ({ ctx, input }): Promise<Session> => {
    const { user, tokens } = await register(ctx.deps, input, ctx.meta);
    setCookies(ctx, tokens);
    return toSession(toUser(user), tokens);
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }): Promise<Session | MfaChallenge> => {
    const result = await signIn(ctx.deps, input, ctx.meta);
    if ('mfaRequired' in result) return result;
    setCookies(ctx, result.tokens);
    return toSession(toUser(result.user), result.tokens);
  }),

  /** The second step of sign-in for an account with two-factor sign-in: a TOTP or a recovery code. */
  verifyMfa: publicProcedure.input(verifyMfaInput).mutation(async ({ ctx, input }): Promise<Session> => {
    const user = await completeMfaChallenge(ctx.deps, input.mfaToken, input.code, ctx.meta);
    const { tokens } = await openSession(ctx.deps, user, ctx.meta, { type: 'login', detail: { via: 'mfa' } });
    setCookies(ctx, tokens);
    return toSession(toUser(user), tokens);
  }),

  /** For scripts: credentials in (Basic header, else the body), tokens out, no cookies. */
  token: publicProcedure.input(tokenInput).mutation(async ({ ctx, input }): Promise<TokenResponse> => {
    const basic = basicCredentials(ctx.req);
    if (basic === 'malformed') {
      throw new AppError('INVALID_INPUT', 'The Authorization header must be Basic base64(email:password).');
    }
    const credentials = basic ? loginInput.safeParse(basic) : null;
    if (credentials && !credentials.success) throw new AppError('INVALID_INPUT', 'The email or password in the Authorization header is not valid.');
    const given = credentials?.data ?? (input?.email && input.password ? { email: input.email, password: input.password } : null);
    if (!given) {
      throw new AppError('INVALID_INPUT', 'Send { email, password } or an Authorization: Basic header.', {
        fieldErrors: { email: ['Enter your email address.'], password: ['Enter your password.'] },
      });
    }
    const { tokens } = await signInForToken(ctx.deps, { ...given, code: input?.code }, ctx.meta);
    return {
      tokenType: 'Bearer',
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.accessExpiresAt.toISOString(),
    };
  }),

  /**
   * A refresh token from the body is answered in the body; one from the cookie is answered in the
   * cookies (the new refresh token never reaches page scripts).
   */
  refresh: publicProcedure.input(refreshInput).mutation(async ({ ctx, input }): Promise<Session & { tokenType: 'Bearer'; refreshToken?: string }> => {
    const fromBody = input?.refreshToken ?? null;
    const given = fromBody ?? refreshCookie(ctx);
    if (!given) throw new AppError('SIGN_IN_REQUIRED', 'No refresh token. Please sign in.');
    let refreshed;
    try {
      refreshed = await refreshSession(ctx.deps, given, ctx.meta);
    } catch (error) {
      if (!fromBody) clearCookies(ctx);
      throw error;
    }
    const { user, tokens } = refreshed;
    if (fromBody) return { tokenType: 'Bearer', ...toSession(toUser(user), tokens), refreshToken: tokens.refreshToken };
    setCookies(ctx, tokens);
    return { tokenType: 'Bearer', ...toSession(toUser(user), tokens) };
  }),

  logout: publicProcedure.input(logoutInput).mutation(async ({ ctx, input }) => {
    await signOut(
      ctx.deps,
      { userId: ctx.user?.id, sessionId: ctx.user?.sessionId, refreshToken: input?.refreshToken ?? refreshCookie(ctx) },
      ctx.meta,
    );
    clearCookies(ctx);
    return { ok: true as const };
  }),

  logoutAll: protectedProcedure.mutation(async ({ ctx }) => {
    const revoked = await signOutEverywhere(ctx.deps, ctx.user.id, ctx.meta);
    clearCookies(ctx);
    return { revoked };
  }),

  /** Proves the access token is good, without touching the database: for scripts and load balancers. */
  ping: protectedProcedure.query(({ ctx }) => ({ userId: ctx.user.id })),

  me: protectedProcedure.query(async ({ ctx }): Promise<User> => toUser(await getOwnUser(ctx.deps, ctx.user.id))),

  sessions: protectedProcedure.query(({ ctx }): Promise<SessionInfo[]> => listSessions(ctx.deps, ctx.user.id, ctx.user.sessionId)),

  revokeSession: protectedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
    await revokeOwnSession(ctx.deps, ctx.user.id, input.sessionId, ctx.meta);
    if (input.sessionId === ctx.user.sessionId) clearCookies(ctx);
    return { ok: true as const };
  }),

  requestEmailVerification: protectedProcedure.mutation(({ ctx }) => requestEmailVerification(ctx.deps, ctx.user.id)),

  verifyEmail: publicProcedure.input(verifyEmailInput).mutation(({ ctx, input }) => verifyEmail(ctx.deps, input.token, ctx.meta)),

  /** Always `{ ok: true }`, whether or not the address has an account. */
  requestPasswordReset: addressLimitedProcedure
    .input(requestPasswordResetInput)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx.deps, input.email, ctx.meta)),

  resetPassword: publicProcedure
    .input(resetPasswordInput)
    .mutation(({ ctx, input }) => resetPassword(ctx.deps, input.token, input.password, ctx.meta)),

  /** The link mailed when many failed sign-ins from several places paused an account's password sign-in. */
  unlockAccount: publicProcedure.input(unlockAccountInput).mutation(({ ctx, input }) => unlockAccount(ctx.deps, input.token, ctx.meta)),

  mfa: router({
    setup: protectedProcedure.mutation(({ ctx }): Promise<MfaSetup> => setupMfa(ctx.deps, ctx.user.id)),
    enable: protectedAddressLimitedProcedure
      .input(mfaEnableInput)
      .mutation(({ ctx, input }) => enableMfa(ctx.deps, ctx.user.id, input.code, ctx.meta)),
    disable: protectedAddressLimitedProcedure
      .input(mfaDisableInput)
      .mutation(({ ctx, input }) => disableMfa(ctx.deps, ctx.user.id, input.password, input.code, ctx.meta)),
  }),
});
