-- Sign-in defences: failure counters move out of "User" into "AuthCounter" (or Redis), keyed by
-- (email, client address), client address and email, so nobody can lock a stranger out from
-- their own address and parallel attempts are counted before any password is compared.

-- AlterEnum
ALTER TYPE "TokenPurpose" ADD VALUE 'UNLOCK_ACCOUNT';

-- AlterTable
ALTER TABLE "User" DROP COLUMN "failedLogins",
DROP COLUMN "lastFailedAt",
ADD COLUMN     "pendingEmail" VARCHAR(254);

-- AlterTable
ALTER TABLE "OneTimeToken" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "successor" VARCHAR(200);

-- CreateTable
CREATE TABLE "AuthCounter" (
    "key" VARCHAR(200) NOT NULL,
    "count" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuthCounter_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuthChange" (
    "id" BIGSERIAL NOT NULL,
    "sessionId" UUID,
    "userId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuthChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuthCounter_expiresAt_idx" ON "AuthCounter"("expiresAt");

-- CreateIndex
CREATE INDEX "AuthChange_createdAt_idx" ON "AuthChange"("createdAt");

-- Counts one attempt on each counter in turn, in one round trip. Each counter is a fixed window:
-- the first hit sets its expiry. The walk stops at the first counter that goes over its maximum
-- (that counter keeps the refused attempt; later ones are not touched). The upsert's row lock
-- orders concurrent callers, so every caller sees an exact count. Returns the counts, and for a
-- refusal the refusing counter's position (1-based) and the milliseconds left in its window.
CREATE FUNCTION tessera_hit_counters(p_keys TEXT[], p_max INTEGER[], p_window_ms DOUBLE PRECISION[],
  OUT counts INTEGER[], OUT refused_at INTEGER, OUT retry_after_ms DOUBLE PRECISION)
LANGUAGE plpgsql AS $$
DECLARE
  now_utc TIMESTAMP(3) := now() AT TIME ZONE 'UTC';
  c INTEGER;
  until TIMESTAMP(3);
BEGIN
  counts := '{}';
  refused_at := 0;
  retry_after_ms := 0;
  FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
    INSERT INTO "AuthCounter" ("key", "count", "expiresAt")
    VALUES (p_keys[i], 1, now_utc + p_window_ms[i] * interval '1 millisecond')
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "AuthCounter"."expiresAt" <= now_utc THEN 1 ELSE "AuthCounter"."count" + 1 END,
      "expiresAt" = CASE WHEN "AuthCounter"."expiresAt" <= now_utc THEN EXCLUDED."expiresAt" ELSE "AuthCounter"."expiresAt" END
    RETURNING "count", "expiresAt" INTO c, until;
    counts := counts || c;
    IF c > p_max[i] THEN
      refused_at := i;
      retry_after_ms := greatest(0, extract(epoch FROM until - now_utc) * 1000);
      RETURN;
    END IF;
  END LOOP;
END $$;

-- Every session revocation and every change of a user's role or staff status is one row here.
-- Each app instance follows the table (notified on commit, and by polling as a backstop), so a
-- revoked token or a changed role takes effect on every instance at once.
CREATE FUNCTION tessera_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tessera_auth', '');
  RETURN NULL;
END $$;

CREATE TRIGGER "AuthChange_notify" AFTER INSERT ON "AuthChange"
FOR EACH STATEMENT EXECUTE FUNCTION tessera_auth_changed();
