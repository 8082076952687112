import http from 'node:http';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it came over the wire (not decompressed), so its length is what was transferred. */
  body: Buffer;
  /** From sending the request to the last byte of the answer. */
  ms: number;
}

/**
 * A keep-alive HTTP client for one server. Plain node:http rather than fetch: fetch would
 * decompress (hiding the bytes on the wire) and adds its own overhead to every latency.
 */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    readonly baseUrl: string,
    options: { maxSockets?: number } = {},
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  }

  request(method: 'GET' | 'POST', path: string, options: { headers?: Record<string, string>; json?: unknown } = {}): Promise<HttpResponse> {
    const payload = options.json === undefined ? null : Buffer.from(JSON.stringify(options.json));
    const headers: Record<string, string> = { ...options.headers };
    if (payload) headers['content-type'] = 'application/json';
    if (method === 'POST') headers['content-length'] = String(payload?.length ?? 0);
    return new Promise((resolve, reject) => {
      const start = performance.now();
      const req = http.request(`${this.baseUrl}${path}`, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - start }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The URL path of a tRPC query (GET, input as JSON in the query string) or mutation (POST). */
export function trpcPath(procedure: string, input?: unknown): string {
  return input === undefined ? `/trpc/${procedure}` : `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
}

/** The `result.data` of a successful tRPC answer. */
export function trpcData<T>(res: HttpResponse): T {
  const parsed = JSON.parse(res.body.toString('utf8')) as { result?: { data: T } };
  if (res.status !== 200 || !parsed.result) throw new Error(`tRPC call answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
  return parsed.result.data;
}

/** The tRPC error message of a failed answer, for printing unexpected statuses. */
export function trpcErrorMessage(res: HttpResponse): string {
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { error?: { message?: string } };
    return parsed.error?.message ?? res.body.toString('utf8').slice(0, 200);
  } catch {
    return res.body.toString('utf8').slice(0, 200);
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const basic = (email: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` });
