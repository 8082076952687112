-- Avatars move from files under DATA_DIR/avatars into the database, so any instance serves any
-- avatar. Existing files are copied in at start-up by the app (server/services/profile/import-avatar-files.ts):
-- SQL cannot read them. One row per user; a new upload replaces it.

-- CreateTable
CREATE TABLE "Avatar" (
    "userId" UUID NOT NULL,
    "hash" VARCHAR(24) NOT NULL,
    "image" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Avatar_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "Avatar" ADD CONSTRAINT "Avatar_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
