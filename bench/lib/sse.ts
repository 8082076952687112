import http from 'node:http';

/** One server-sent event as the stream delivered it (`event:` and `id:` null when absent). */
export interface SseEvent {
  event: string | null;
  id: string | null;
  data: string;
}

export interface EventStream {
  /** The status and headers, once they arrive; rejects when the connection fails before. */
  response: Promise<{ status: number; headers: http.IncomingHttpHeaders }>;
  /** Bytes read from this connection's socket so far (headers included): what went over the wire. */
  bytesRead(): number;
  /** Closes the connection (the server sees the client go away). */
  close(): void;
  /** Set once the connection has ended, by either side. */
  readonly ended: boolean;
}

/**
 * A server-sent event stream over its own plain `node:http` connection (no agent, no pooling: one
 * socket per stream, as a browser's EventSource has), parsed as the spec says (lines, blank line
 * ends an event). Kept small because the bench holds thousands: a string buffer per stream and one
 * timestamp per chunk read, handed to `onEvent` with every event in that chunk.
 */
export function openEventStream(url: string, headers: Record<string, string>, onEvent: (event: SseEvent, at: number) => void): EventStream {
  let ended = false;
  let socketBytes = 0;
  let buffer = '';
  const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
  const finish = () => {
    ended = true;
  };
  const response = new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    req.on('error', (error) => {
      finish();
      reject(error);
    });
    req.on('response', (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let start = 0;
        for (;;) {
          const end = buffer.indexOf('\n\n', start);
          if (end < 0) break;
          const block = buffer.slice(start, end);
          start = end + 2;
          const parsed = parseBlock(block);
          if (parsed) onEvent(parsed, at);
        }
        buffer = start === 0 ? buffer : buffer.slice(start);
      });
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
  });
  // A stream that fails to open is reported through `response`; this keeps it from being unhandled.
  response.catch(() => {});
  req.on('socket', (socket) => {
    socket.on('close', () => {
      socketBytes = socket.bytesRead;
    });
  });
  return {
    response,
    bytesRead: () => (req.socket && !req.socket.destroyed ? req.socket.bytesRead : socketBytes),
    close() {
      req.destroy();
    },
    get ended() {
      return ended;
    },
  };
}

/** One event's lines; null for a block with no data (a blank line, a comment). */
function parseBlock(block: string): SseEvent | null {
  let event: string | null = null;
  let id: string | null = null;
  let data: string | null = null;
  let from = 0;
  while (from <= block.length) {
    let to = block.indexOf('\n', from);
    if (to < 0) to = block.length;
    const line = block.slice(from, to);
    from = to + 1;
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data = data === null ? value : `${data}\n${value}`;
    else if (field === 'id') id = value;
    else if (field === 'event') event = value;
  }
  return data === null ? null : { event, id, data };
}
