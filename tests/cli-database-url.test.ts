import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LAB_LOGS } from "./helpers/fixtures.ts";
import { runCli } from "./helpers/run-cli.ts";

const MAIL_LOG = path.join(LAB_LOGS, "var/log/mail.log");

// Every command with --db, with arguments it would otherwise accept.
const COMMANDS: string[][] = [
  ["ingest", MAIL_LOG],
  ["follow", MAIL_LOG],
  ["findings"],
  ["message", "<a@b>"],
  ["messages"],
  ["users"],
  ["report"],
  ["audit"],
  ["serve"],
  ["admin", "set-password"],
  ["migrate"],
];

describe("--db and DATABASE_URL are checked before a command runs", () => {
  for (const [name, ...rest] of COMMANDS) {
    test(`spamtrail ${name} --db mysql://… → one line naming the scheme, exit 2, no file created`, async () => {
      const { code, stdout, stderr } = await runCli([
        name as string,
        "--db",
        "mysql://root:pw@localhost/mail",
        ...rest,
      ]);
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.match(
        stderr,
        new RegExp(
          `^spamtrail ${name}: --db 'mysql://root:\\*\\*\\*@localhost/mail' has the scheme 'mysql:'; Spamtrail stores in SQLite \\(a file path or file:PATH\\) or PostgreSQL \\(postgresql://user:password@host:5432/database\\)\\n$`,
        ),
      );
      assert.equal(existsSync(path.resolve("mysql:")), false);
    });
  }

  test("an unknown scheme in DATABASE_URL names DATABASE_URL", async () => {
    const { code, stderr } = await runCli(["users"], "", {
      ...process.env,
      DATABASE_URL: "redis://localhost/0",
    });
    assert.equal(code, 2);
    assert.match(stderr, /^spamtrail users: DATABASE_URL 'redis:\/\/localhost\/0' has the scheme 'redis:'/);
  });

  test("audit without --db reads no database, so a DATABASE_URL it cannot use does not stop it", async () => {
    const { code, stderr } = await runCli(["audit", "/nonexistent"], "", {
      ...process.env,
      DATABASE_URL: "redis://x/0",
    });
    assert.doesNotMatch(stderr, /redis/);
    assert.notEqual(code, 2);
  });
});
