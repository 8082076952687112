import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ensureClientBuilt } from '../server/build-client';
import type { Config } from '../server/env';
import { testConfig } from '../test/config';
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

/** The admin account every browser-test server starts with (server/main.ts creates it). */
export const TEST_ADMIN = { email: 'admin@tessera.test', password: 'admin-pass-4-tests' };

/**
 * The real app on a free port with a fresh in-memory database, serving the built client.
 * `overrides` change settings (a short HOLD_MINUTES, say).
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  await ensureClientBuilt();
  const server = await startServer(
    testConfig({ port: 0, database: { kind: 'pglite', dir: null }, logLevel: 'silent', admin: TEST_ADMIN, ...overrides }),
  );
  const { port } = server.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => server.stop() };
}

/** Debian's Chromium: Playwright's own browser download cannot be fetched on these machines. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
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
      ...extraArgs,
    ],
  });
}
