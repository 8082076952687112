import crypto from 'node:crypto';
import type { Role, StaffStatus } from '../shared/auth.js';
import { startSession } from '../server/services/auth/start-session.js';
import { createUser as createUserRecord } from '../server/services/users/create-user.js';
import type { AuthUser } from '../server/trpc/context.js';
import type { AppDeps } from '../server/deps.js';
import type { TestApp } from './app.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  staffStatus: StaffStatus;
}

/**
 * A real account (bcrypt at the app's cost, through the same service as register and
 * admin.staff.create). Defaults: a fresh customer with a random address and a strong password.
 * Give `role: 'STAFF', staffStatus: 'APPROVED'` for staff rights.
 */
export async function createUser(
  target: Pick<TestApp, 'app'> | Pick<AppDeps, 'db' | 'config'>,
  options: { role?: Role; staffStatus?: StaffStatus; email?: string; password?: string; name?: string } = {},
): Promise<TestUser> {
  const email = (options.email ?? `user-${crypto.randomBytes(6).toString('hex')}@example.com`).toLowerCase();
  const password = options.password ?? `Pw-${crypto.randomBytes(9).toString('base64url')}`;
  const role = options.role ?? 'CUSTOMER';
  const staffStatus = options.staffStatus ?? (role === 'STAFF' ? 'PENDING' : 'NONE');
  const deps = 'app' in target ? target.app.deps : target;
  const user = await createUserRecord(
    deps,
    { email, password, name: options.name ?? 'Test User', role, staffStatus },
    { type: 'register', meta: { ip: '127.0.0.1', userAgent: 'test' } },
  );
  return { id: user.id, email: user.email, password, role: user.role, staffStatus: user.staffStatus };
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  /** The value for a `Cookie` request header: both session cookies. */
  cookie: string;
}

/** Signs in over real HTTP (`auth.login` at t.url); throws with the response when it fails. */
export async function signIn(t: Pick<TestApp, 'url'>, email: string, password: string): Promise<SignedIn> {
  const res = await fetch(`${t.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${body}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const refresh = cookies.find((c) => /^(__Secure-)?tessera_rt=/.test(c));
  if (!refresh) throw new Error('sign-in set no refresh cookie');
  return {
    accessToken: (JSON.parse(body) as { result: { data: { accessToken: string } } }).result.data.accessToken,
    refreshToken: decodeURIComponent(refresh.slice(refresh.indexOf('=') + 1)),
    cookie: cookies.join('; '),
  };
}

/** The caller as a user with a real, live session, for `callerFor(t.app, await authUserFor(t, id))`. */
export async function authUserFor(t: Pick<TestApp, 'app'>, userId: string): Promise<AuthUser> {
  const { deps } = t.app;
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, role: true, staffStatus: true } });
  const session = await startSession(deps.db, deps.config, user, { ip: '127.0.0.1', userAgent: 'test' });
  return { id: user.id, role: user.role, staffStatus: user.staffStatus, sessionId: session.sessionId };
}

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON: `{ result: { data } }` or `{ error: { message, data } }`. */
  body: any;
  /** Set-Cookie headers, one per cookie. */
  cookies: string[];
}

/**
 * One tRPC call over real HTTP, unbatched: mutations are POST with a JSON body (`{}` when no input
 * is given: tRPC refuses an empty JSON body), queries (`method: 'GET'`) carry the input in the URL.
 */
export async function callHttp(
  t: Pick<TestApp, 'url'>,
  procedure: string,
  options: { input?: unknown; headers?: Record<string, string>; method?: 'GET' | 'POST' } = {},
): Promise<HttpResult> {
  const method = options.method ?? 'POST';
  const hasBody = method === 'POST';
  const query = method === 'GET' && options.input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(options.input))}` : '';
  const res = await fetch(`${t.url}/trpc/${procedure}${query}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: hasBody ? JSON.stringify(options.input ?? {}) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, cookies: res.headers.getSetCookie() };
}
