-- The message search's SearchTerm kept by triggers, as SQLite's migration search_terms keeps it
-- (the same words for the same rows: tests/postgres-copy.test.ts compares both tables), so that
-- every writer keeps it current without knowing about it. The words of subjects and Message-IDs
-- need no table here: lib/queries/dialect.ts reads the columns.
CREATE FUNCTION "SearchTerm_add"(journey INTEGER, field TEXT, term TEXT) RETURNS void AS $$
BEGIN
  IF term IS NOT NULL AND term <> '' THEN
    INSERT INTO "SearchTerm" ("field", "term", "journeyId") VALUES (field, term, journey) ON CONFLICT DO NOTHING;
  END IF;
END $$ LANGUAGE plpgsql;

-- The domain of an address, or NULL when it has no '@' (as SQLite's instr(…) > 0).
CREATE FUNCTION "SearchTerm_domain"(address TEXT) RETURNS TEXT AS $$
  SELECT CASE WHEN strpos(address, '@') > 0 THEN lower(substr(address, strpos(address, '@') + 1)) END
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION "SearchTerm_delivery"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "SearchTerm_add"(NEW."journeyId", 'rcpt', lower(NEW."recipient"));
    PERFORM "SearchTerm_add"(NEW."journeyId", 'rcpt', lower(NEW."origRecipient"));
    PERFORM "SearchTerm_add"(NEW."journeyId", 'rcpt-domain', "SearchTerm_domain"(NEW."recipient"));
    PERFORM "SearchTerm_add"(NEW."journeyId", 'rcpt-domain', "SearchTerm_domain"(NEW."origRecipient"));
    IF NEW."status" IN ('deferred', 'bounced') THEN
      PERFORM "SearchTerm_add"(NEW."journeyId", 'status', NEW."status");
    END IF;
    RETURN NEW;
  END IF;
  -- A journey's deliveries are always deleted and written again together (lib/store/journey-writer.ts).
  DELETE FROM "SearchTerm" WHERE "field" = 'rcpt' AND "journeyId" = OLD."journeyId"
    AND "term" IN (lower(OLD."recipient"), lower(OLD."origRecipient"));
  DELETE FROM "SearchTerm" WHERE "field" = 'rcpt-domain' AND "journeyId" = OLD."journeyId"
    AND "term" IN ("SearchTerm_domain"(OLD."recipient"), "SearchTerm_domain"(OLD."origRecipient"));
  DELETE FROM "SearchTerm" WHERE "field" = 'status' AND "term" = OLD."status" AND "journeyId" = OLD."journeyId";
  RETURN OLD;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER "SearchTerm_delivery" AFTER INSERT OR DELETE ON "Delivery"
  FOR EACH ROW EXECUTE FUNCTION "SearchTerm_delivery"();

-- A queue file that expired (returned to the sender): the message bounced.
CREATE FUNCTION "SearchTerm_queue"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."closed" = 'expired' THEN PERFORM "SearchTerm_add"(NEW."journeyId", 'status', 'bounced'); END IF;
    RETURN NEW;
  END IF;
  IF OLD."closed" = 'expired' THEN
    DELETE FROM "SearchTerm" WHERE "field" = 'status' AND "term" = 'bounced' AND "journeyId" = OLD."journeyId";
  END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER "SearchTerm_queue" AFTER INSERT OR DELETE ON "JourneyQueue"
  FOR EACH ROW EXECUTE FUNCTION "SearchTerm_queue"();

CREATE FUNCTION "SearchTerm_journey"() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF TG_OP = 'DELETE' OR OLD."sender" IS DISTINCT FROM NEW."sender" OR OLD."clientIp" IS DISTINCT FROM NEW."clientIp"
       OR OLD."clientName" IS DISTINCT FROM NEW."clientName" THEN
      DELETE FROM "SearchTerm" WHERE "journeyId" = OLD."id" AND (
        ("field" = 'from' AND "term" = lower(OLD."sender"))
        OR ("field" = 'from-domain' AND "term" = "SearchTerm_domain"(OLD."sender"))
        OR ("field" = 'client' AND "term" IN (lower(OLD."clientIp"), lower(OLD."clientName"))));
    END IF;
    IF TG_OP = 'DELETE' THEN
      DELETE FROM "SearchTerm" WHERE "field" = 'status' AND "journeyId" = OLD."id"
        AND "term" IN ('queued', 'in-progress', 'deferred', 'bounced');
      RETURN OLD;
    END IF;
    IF OLD."complete" IS DISTINCT FROM NEW."complete" OR OLD."inProgress" IS DISTINCT FROM NEW."inProgress" THEN
      DELETE FROM "SearchTerm" WHERE "field" = 'status' AND "term" IN ('queued', 'in-progress') AND "journeyId" = OLD."id";
      IF NEW."complete" = FALSE THEN PERFORM "SearchTerm_add"(NEW."id", 'status', 'queued'); END IF;
      IF NEW."inProgress" = TRUE THEN PERFORM "SearchTerm_add"(NEW."id", 'status', 'in-progress'); END IF;
    END IF;
    IF NOT (OLD."sender" IS DISTINCT FROM NEW."sender" OR OLD."clientIp" IS DISTINCT FROM NEW."clientIp"
       OR OLD."clientName" IS DISTINCT FROM NEW."clientName") THEN
      RETURN NEW;
    END IF;
  END IF;
  PERFORM "SearchTerm_add"(NEW."id", 'from', lower(NEW."sender"));
  PERFORM "SearchTerm_add"(NEW."id", 'from-domain', "SearchTerm_domain"(NEW."sender"));
  PERFORM "SearchTerm_add"(NEW."id", 'client', lower(NEW."clientIp"));
  PERFORM "SearchTerm_add"(NEW."id", 'client', lower(NEW."clientName"));
  IF TG_OP = 'INSERT' THEN
    IF NEW."complete" = FALSE THEN PERFORM "SearchTerm_add"(NEW."id", 'status', 'queued'); END IF;
    IF NEW."inProgress" = TRUE THEN PERFORM "SearchTerm_add"(NEW."id", 'status', 'in-progress'); END IF;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER "SearchTerm_journey" AFTER INSERT OR UPDATE OR DELETE ON "Journey"
  FOR EACH ROW EXECUTE FUNCTION "SearchTerm_journey"();
