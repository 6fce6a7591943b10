import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { verifyPassword } from "../../lib/auth/password.ts";
import { openDatabase } from "../../lib/db/connection.ts";
import { runCli } from "../helpers/run-cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

function storedHash(file: string, username: string): string | undefined {
  const db = openDatabase(file, { readonly: true });
  try {
    return (
      db.prepare("SELECT passwordHash FROM AdminUser WHERE username = ?").get(username) as
        | { passwordHash: string }
        | undefined
    )?.passwordHash;
  } finally {
    db.close();
  }
}

test("admin set-password reads the password from stdin and stores only its scrypt hash", async () => {
  const file = path.join(tempDir(), "admin.db");
  const created = await runCli(["admin", "set-password", "--db", file], "a long enough password\n");
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^Created administrator admin in /);
  const hash = storedHash(file, "admin") ?? assert.fail("no admin");
  assert.match(hash, /^scrypt\$/);
  assert.equal(await verifyPassword("a long enough password", hash), true);

  const changed = await runCli(
    ["admin", "set-password", "--db", file, "--user", "admin"],
    "another long password\n",
  );
  assert.match(changed.stdout, /^Changed the password of admin/);
  assert.equal(await verifyPassword("another long password", storedHash(file, "admin") ?? ""), true);

  const ops = await runCli(
    ["admin", "set-password", "--db", file, "--user", "ops@example.com"],
    "ops long password",
  );
  assert.equal(ops.code, 0);
  assert.ok(storedHash(file, "ops@example.com"));
});

test("admin set-password refuses short passwords, bad names and unknown actions", async () => {
  const file = path.join(tempDir(), "admin.db");
  const short = await runCli(["admin", "set-password", "--db", file], "short\n");
  assert.equal(short.code, 1);
  assert.equal(short.stderr, "spamtrail admin: the password must be at least 10 characters long\n");
  const name = await runCli(["admin", "set-password", "--db", file, "--user", "a b"], "long enough pw\n");
  assert.equal(name.code, 2);
  assert.match(name.stderr, /--user: user names are/);
  const action = await runCli(["admin", "delete", "--db", file]);
  assert.equal(action.code, 2);
  assert.match(action.stderr, /unknown action 'delete' \(actions: set-password\)/);
});
