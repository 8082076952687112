import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/app.js';
import { createUser } from '../../../test/users.js';
import { issueOneTimeToken } from '../lifecycle/one-time-tokens.js';
import { pruneExpiredAuthData } from './prune-expired.js';
import { startSession } from './start-session.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('pruneExpiredAuthData', () => {
  it('deletes sessions and tokens dead for over a day, and keeps everything else', async () => {
    const { db, config } = t.app.deps;
    const u = await createUser(t);
    const meta = { ip: null, userAgent: null };
    const open = (await startSession(db, config, u, meta)).sessionId;
    const revokedNow = (await startSession(db, config, u, meta)).sessionId;
    const revokedLongAgo = (await startSession(db, config, u, meta)).sessionId;
    const expiredLongAgo = (await startSession(db, config, u, meta)).sessionId;
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await db.session.update({ where: { id: revokedNow }, data: { revokedAt: new Date() } });
    await db.session.update({ where: { id: revokedLongAgo }, data: { revokedAt: twoDaysAgo } });
    await db.session.update({ where: { id: expiredLongAgo }, data: { expiresAt: twoDaysAgo } });
    await issueOneTimeToken(db, { userId: u.id, purpose: 'VERIFY_EMAIL', email: u.email });
    await issueOneTimeToken(db, { userId: u.id, purpose: 'RESET_PASSWORD' });
    await db.oneTimeToken.updateMany({ where: { userId: u.id, purpose: 'RESET_PASSWORD' }, data: { expiresAt: twoDaysAgo } });

    // Followed auth changes: one from two days ago goes, one from now stays; expired counters go.
    await db.authChange.createMany({ data: [{ sessionId: revokedLongAgo, createdAt: twoDaysAgo }, { sessionId: revokedNow }] });
    await db.authCounter.createMany({
      data: [
        { key: 'old', count: 3, expiresAt: new Date(Date.now() - 1000) },
        { key: 'live', count: 1, expiresAt: new Date(Date.now() + 60_000) },
      ],
    });

    expect(await pruneExpiredAuthData(t.app.deps)).toEqual({ sessions: 2, tokens: 1, changes: 1, counters: 1 });
    expect(await db.authChange.findMany({ select: { sessionId: true } })).toEqual([{ sessionId: revokedNow }]);
    expect(await db.authCounter.findMany({ select: { key: true } })).toEqual([{ key: 'live' }]);
    const left = await db.session.findMany({ where: { userId: u.id }, select: { id: true } });
    expect(left.map((s) => s.id).sort()).toEqual([open, revokedNow].sort());
    expect(await db.refreshToken.count({ where: { sessionId: { in: [revokedLongAgo, expiredLongAgo] } } })).toBe(0);
    const tokens = await db.oneTimeToken.findMany({ where: { userId: u.id }, select: { purpose: true } });
    expect(tokens).toEqual([{ purpose: 'VERIFY_EMAIL' }]);
    expect(await pruneExpiredAuthData(t.app.deps)).toEqual({ sessions: 0, tokens: 0, changes: 0, counters: 0 });
  });
});
