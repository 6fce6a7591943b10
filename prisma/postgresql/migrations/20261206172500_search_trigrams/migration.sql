-- The word search on PostgreSQL (lib/queries/dialect.ts wordCandidates) matches a regular
-- expression per word against lower("messageId") and lower("subject"). Trigram indexes answer it
-- from an index instead of reading every journey (5 M log lines: 2–3 s → tens of ms). pg_trgm ships
-- with PostgreSQL and is a trusted extension: the database's owner may create it. Where it cannot
-- be created the search still works, reading every journey: the migration warns, it does not fail.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'pg_trgm could not be created (%): word searches read every journey. Install PostgreSQL''s contrib modules and run CREATE EXTENSION pg_trgm as the database owner, then spamtrail migrate.', SQLERRM;
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX IF NOT EXISTS "Journey_messageId_words" ON "Journey" USING gin (lower("messageId") gin_trgm_ops);
    CREATE INDEX IF NOT EXISTS "Journey_subject_words" ON "Journey" USING gin (lower("subject") gin_trgm_ops);
  END IF;
END $$;
