import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ensureClientBuilt } from '../server/build-client';
import { testConfig } from '../server/env';
import { startServer } from '../server/main';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests run where Chromium is installed (`bash .ci/install-chromium.sh`), and always in CI,
 * where a missing browser must fail rather than skip.
 */
export const browserAvailable = fs.existsSync(CHROMIUM) || process.env.CI === 'true';
if (!browserAvailable) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (bash .ci/install-chromium.sh installs it)`);

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, 'screenshots');

export interface TestServer {
  url: string;
  stop(): Promise<void>;
}

/** The real app on a free port with a fresh in-memory database, serving the built client. */
export async function startTestServer(): Promise<TestServer> {
  await ensureClientBuilt();
  const server = await startServer(testConfig({ port: 0, database: { kind: 'pglite', dir: null }, logLevel: 'silent' }));
  const { port } = server.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: server.stop };
}

/** Debian's Chromium: Playwright's own browser download cannot be fetched on these machines. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
