import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../core/paths.ts";
import { DatabaseUrlError, type Env, redactUrl, resolveDatabaseTarget } from "./database-url.ts";

const root = projectRoot();

describe("--db / DATABASE_URL", () => {
  const sqlite: [string | undefined, Env, string][] = [
    [undefined, {}, path.join(root, "data", "spamtrail.db")],
    ["x.db", {}, path.resolve("x.db")],
    ["/var/lib/spamtrail/s.db", { DATABASE_URL: "postgresql://h/db" }, "/var/lib/spamtrail/s.db"],
    [undefined, { DATABASE_URL: "file:./data/other.db" }, path.join(root, "data", "other.db")],
    [undefined, { DATABASE_URL: "file:/srv/s.db?connection_limit=1" }, "/srv/s.db"],
    [undefined, { DATABASE_URL: "file:///srv/s%20t.db" }, "/srv/s t.db"],
    [undefined, { DATABASE_URL: "file://localhost/srv/s.db" }, "/srv/s.db"],
    [undefined, { DATABASE_URL: "data/plain.db" }, path.join(root, "data", "plain.db")],
    ["./a:b.db", {}, path.resolve("a:b.db")],
  ];
  for (const [explicit, env, file] of sqlite) {
    test(`${explicit ?? env.DATABASE_URL ?? "(nothing)"} is the SQLite file ${file}`, () => {
      assert.deepEqual(resolveDatabaseTarget(explicit, env), { kind: "sqlite", file });
    });
  }

  const postgres: [string, string][] = [
    ["postgresql://spam:s3cret@db.example:5432/spamtrail", "postgresql://spam:***@db.example:5432/spamtrail"],
    ["postgres://db.example/spamtrail?sslmode=require", "postgres://db.example/spamtrail?sslmode=require"],
    ["postgresql:///spamtrail?host=/run/postgresql", "postgresql:///spamtrail?host=/run/postgresql"],
    [
      "postgresql://u@h/d?password=p%40ss&sslmode=verify-full",
      "postgresql://u@h/d?password=***&sslmode=verify-full",
    ],
  ];
  for (const [url, shown] of postgres) {
    test(`${shown} selects PostgreSQL, from --db and from DATABASE_URL, the password never shown`, () => {
      assert.deepEqual(resolveDatabaseTarget(url, {}), { kind: "postgresql", url, shown });
      assert.deepEqual(resolveDatabaseTarget(undefined, { DATABASE_URL: url }), {
        kind: "postgresql",
        url,
        shown,
      });
    });
  }

  const bad: [string, RegExp][] = [
    [
      "mysql://root:pw@h/db",
      /^--db 'mysql:\/\/root:\*\*\*@h\/db' has the scheme 'mysql:'; Spamtrail stores in SQLite/,
    ],
    ["sqlserver://h", /has the scheme 'sqlserver:'/],
    ["postgresql://", /is not a valid PostgreSQL URL|names no server/],
    ["postgresql://h:5432", /names no database/],
    ["postgresql://h:99999/db", /not a valid PostgreSQL URL/],
    ["file://otherhost/x.db", /names a file on host 'otherhost'; a SQLite file must be local/],
    ["file:", /names no file/],
    ["", /^--db must name a SQLite file or a postgresql:\/\/ URL$/],
  ];
  for (const [given, message] of bad) {
    test(`'${given}' is a one-line error, never a file name`, () => {
      assert.throws(
        () => resolveDatabaseTarget(given, {}),
        (error: Error) => {
          assert.ok(error instanceof DatabaseUrlError);
          assert.match(error.message, message);
          assert.doesNotMatch(error.message, /\n|pw@/);
          return true;
        },
      );
    });
  }

  test("redactUrl hides the password and nothing else", () => {
    assert.equal(redactUrl("postgresql://a:b:c@h/d"), "postgresql://a:***@h/d");
    assert.equal(redactUrl("postgresql://a@h/d"), "postgresql://a@h/d");
  });
});
