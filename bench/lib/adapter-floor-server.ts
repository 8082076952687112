/**
 * The floor under any tRPC procedure: a bare Fastify with tRPC's own Fastify adapter and one no-op
 * query, no middleware, no context, nothing of Tessera's. What `health` costs beyond this is ours.
 */
import { initTRPC } from '@trpc/server';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify from 'fastify';

const t = initTRPC.create();
const router = t.router({ noop: t.procedure.query(() => ({ status: 'ok' })) });
const app = Fastify({ logger: false });
await app.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router, createContext: () => ({}) } });
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
