-- Every running instance says how far it has followed "AuthChange": the database time at which its
-- latest applied read of that table began. An instance that revokes a session waits until every
-- other instance following closely has read past the revocation before it answers, so the revoked
-- token is refused everywhere from the next request on (server/services/auth/auth-changes.ts).
-- Rows of instances that stopped are deleted by them; those of crashed ones go stale and are
-- pruned after a day.

-- CreateTable
CREATE TABLE "AuthFollower" (
    "instanceId" UUID NOT NULL,
    "syncedAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "AuthFollower_pkey" PRIMARY KEY ("instanceId")
);
