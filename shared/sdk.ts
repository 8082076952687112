import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCClient, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../server/routers/router.js';
import { NO_RENEWAL_ON_401 } from './auth.js';

/**
 * The typed client for scripts: every procedure of the API with its input and output types.
 *
 *   const api = createTesseraClient({ url: 'http://127.0.0.1:3000', email, password });
 *   const me = await api.auth.me.query();
 *   await api.logout();
 *
 * With email and password it signs in through `auth.token` (HTTP Basic) on first use and sends the
 * access token as `Authorization: Bearer`. When a call answers 401 it renews once (`auth.refresh`
 * with the refresh token, or a new sign-in when that fails) and retries that call. Plain JSON, no
 * cookies: the same wire any other language would use.
 */
export interface TesseraClientOptions {
  /** The server, e.g. http://127.0.0.1:3000 (the API is at <url>/trpc). */
  url: string;
  email?: string;
  password?: string;
  /** Tokens from an earlier sign-in (see `tokens()`), instead of or besides email and password. */
  accessToken?: string;
  refreshToken?: string;
}

export interface TesseraTokens {
  accessToken: string | null;
  refreshToken: string | null;
}

export type TesseraClient = TRPCClient<AppRouter> & {
  /** Signs in now with the email and password given (otherwise it happens on the first call). */
  signIn(): Promise<void>;
  /** Ends this session on the server and forgets the tokens. */
  logout(): Promise<void>;
  /** The current tokens, to keep for a later run. */
  tokens(): TesseraTokens;
};

function basicHeader(email: string, password: string): string {
  const bytes = new TextEncoder().encode(`${email}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { httpStatus?: number } | undefined)?.httpStatus === 401;
}

export function createTesseraClient(options: TesseraClientOptions): TesseraClient {
  const trpcUrl = `${options.url.replace(/\/+$/, '')}/trpc`;
  let accessToken = options.accessToken ?? null;
  let refreshToken = options.refreshToken ?? null;
  const hasCredentials = Boolean(options.email && options.password);

  /**
   * A client for the token calls themselves: fixed headers, no renewal. Batch-shaped requests, as
   * an unbatched call without input sends an empty JSON body, which tRPC's server refuses.
   */
  const direct = (headers: Record<string, string> = {}) =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: trpcUrl, maxItems: 1, headers: () => headers })] });

  async function signIn(): Promise<void> {
    if (!options.email || !options.password) throw new Error('createTesseraClient: signing in needs email and password.');
    const tokens = await direct({ authorization: basicHeader(options.email, options.password) }).auth.token.mutate();
    accessToken = tokens.accessToken;
    refreshToken = tokens.refreshToken;
  }

  async function refreshOrSignIn(): Promise<void> {
    if (refreshToken) {
      try {
        const next = await direct().auth.refresh.mutate({ refreshToken });
        accessToken = next.accessToken;
        refreshToken = next.refreshToken ?? null;
        return;
      } catch (error) {
        refreshToken = null;
        if (!hasCredentials) throw error;
      }
    }
    await signIn();
  }

  // Calls that fail together renew together: one refresh, not one per call.
  let renewing: Promise<void> | null = null;
  const renew = () => {
    renewing ??= refreshOrSignIn().finally(() => {
      renewing = null;
    });
    return renewing;
  };
  const canRenew = () => refreshToken !== null || hasCredentials;

  const renewLink: TRPCLink<AppRouter> =
    () =>
    ({ op, next }) =>
      observable((observer) => {
        let unsubscribe: (() => void) | null = null;
        let closed = false;
        const attempt = (retried: boolean) => {
          const subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (retried || closed || NO_RENEWAL_ON_401.has(op.path) || !isUnauthorized(error) || !canRenew()) return observer.error(error);
              renew().then(
                () => attempt(true),
                () => observer.error(error),
              );
            },
          });
          unsubscribe = () => subscription.unsubscribe();
        };
        if (!accessToken && hasCredentials && !NO_RENEWAL_ON_401.has(op.path)) {
          renew().then(
            () => attempt(true),
            (error: unknown) => observer.error(TRPCClientError.from(error instanceof Error ? error : new Error(String(error)))),
          );
        } else {
          attempt(false);
        }
        return () => {
          closed = true;
          unsubscribe?.();
        };
      });

  const client = createTRPCClient<AppRouter>({
    links: [
      renewLink,
      // The server refuses batches of more than 10 calls.
      httpBatchLink({ url: trpcUrl, maxItems: 10, headers: () => (accessToken ? { authorization: `Bearer ${accessToken}` } : {}) }),
    ],
  });

  async function logout(): Promise<void> {
    const headers: Record<string, string> = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
    try {
      await direct(headers).auth.logout.mutate(refreshToken ? { refreshToken } : undefined);
    } finally {
      accessToken = null;
      refreshToken = null;
    }
  }

  const extras = { signIn, logout, tokens: (): TesseraTokens => ({ accessToken, refreshToken }) };
  // The procedures come from the tRPC proxy; signIn, logout and tokens from here.
  return new Proxy(extras, {
    get(target, key) {
      return key in target ? target[key as keyof typeof target] : (client as unknown as Record<PropertyKey, unknown>)[key];
    },
  }) as unknown as TesseraClient;
}
