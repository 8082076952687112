import { describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/config.js';
import { startServer } from '../../main.js';

describe('npm start with SEED_DEMO', () => {
  it('seeds an empty embedded database before serving, and the events are on sale', { timeout: 60_000 }, async () => {
    const server = await startServer(testConfig({ port: 0, seedDemo: true }));
    try {
      const address = server.app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const res = await fetch(`${url}/trpc/events.list?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`);
      expect(res.status).toBe(200);
      const { items } = (await res.json()).result.data as { items: Array<{ status: string; seats: { total: number } }> };
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(items.every((e) => e.status === 'ON_SALE')).toBe(true);
      expect(Math.max(...items.map((e) => e.seats.total))).toBeGreaterThanOrEqual(20_000);
    } finally {
      await server.stop();
    }
  });
});
