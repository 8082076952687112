/** Raw tRPC calls over HTTP, as a script would make them: the status and the JSON, or why there was none. */

export type Answer =
  | { kind: 'answered'; status: number; data: any; reason: string | null; message: string | null }
  /** No HTTP answer: nobody listened (nothing was sent), the connection broke (the request may have run), or none came in time. */
  | { kind: 'failed'; label: 'connection refused' | 'connection lost' | 'timeout'; message: string };

export interface CallOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

export async function call(baseUrl: string, procedure: string, options: CallOptions = {}): Promise<Answer> {
  const method = options.method ?? 'POST';
  const headers: Record<string, string> = { ...options.headers };
  if (method === 'POST') headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${baseUrl}/trpc/${procedure}`, {
      method,
      headers,
      body: method === 'POST' ? JSON.stringify(options.body ?? {}) : undefined,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      // A proxy's or a dying server's non-JSON body: the status says enough.
    }
    return {
      kind: 'answered',
      status: res.status,
      data: json?.result?.data ?? null,
      reason: json?.error?.data?.reason ?? null,
      message: json?.error?.message ?? (json ? null : text.slice(0, 200)),
    };
  } catch (error) {
    const { name, message, cause } = error as Error;
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'failed', label: 'timeout', message };
    // fetch says only "fetch failed"; the cause says what happened (ECONNREFUSED, a reset socket).
    const refused = (cause as { code?: string } | undefined)?.code === 'ECONNREFUSED';
    return { kind: 'failed', label: refused ? 'connection refused' : 'connection lost', message: cause instanceof Error ? cause.message : message };
  }
}

/** What a purchase attempt is counted as: the HTTP status, or why there was none. */
export const label = (answer: Answer) => (answer.kind === 'answered' ? String(answer.status) : answer.label);

/** No answer at all, or a 5xx (503 while the database is away, the instance is shedding load): try again. */
export const worthRetrying = (answer: Answer) => answer.kind === 'failed' || answer.status >= 500;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const basic = (email: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` });

/** A fresh session for the account: POST auth.token with Basic credentials; its access token. Tried again on no answer or a 5xx. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const answer = await call(baseUrl, 'auth.token', { headers: basic(email, password), body: {} });
    if (answer.kind === 'answered' && answer.status === 200 && typeof answer.data?.accessToken === 'string') return answer.data.accessToken as string;
    if (!worthRetrying(answer) || attempt >= 10) throw new Error(`auth.token for ${email} on ${baseUrl}: ${label(answer)} ${answer.message}`);
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}
