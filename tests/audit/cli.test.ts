import assert from "node:assert/strict";
import { chmodSync, copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import type { auditResultToJson } from "../../lib/cli/commands/audit.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import { runCli } from "../helpers/run-cli.ts";
import { tempDatabase } from "../helpers/temp-db.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { CONFIGS, LAB_CHECKS, LAB_CONFIG } from "./configs.ts";

type Json = ReturnType<typeof auditResultToJson>;
const auditJson = async (argv: string[], env?: NodeJS.ProcessEnv) => {
  const { code, stdout, stderr } = await runCli(["audit", "--json", ...argv], "", env);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as Json[];
};
const checks = (results: Json[]) => results.map((r) => r.check).sort();

describe("spamtrail audit", () => {
  test("files given one by one", async () => {
    const etc = path.join(LAB_CONFIG, "etc");
    const results = await auditJson([
      path.join(etc, "postfix/main.cf"),
      path.join(etc, "postfix/master.cf"),
      path.join(etc, "postfix/virtual"),
      path.join(etc, "dovecot/dovecot.conf"),
      path.join(LAB_CONFIG, "dspam/dspam.conf.effective"),
    ]);
    assert.deepEqual(checks(results), LAB_CHECKS);
    const twice = results.find((r) => r.check === "alias-expansion-twice");
    assert.deepEqual(
      {
        file: path.relative(LAB_CONFIG, twice?.file ?? ""),
        line: twice?.line,
        setting: twice?.setting,
        evidence: twice?.evidence.map((e) => e.kind),
      },
      {
        file: "etc/postfix/master.cf",
        line: 152,
        setting: "receive_override_options",
        evidence: ["duplicate-delivery"],
      },
    );
  });

  test("a directory is walked: the files are used, the dumps beside them set aside", async () => {
    const { code, stdout } = await runCli(["audit", LAB_CONFIG]);
    assert.equal(code, 0);
    assert.match(stdout, /^Configuration audit: 7 problems \(4 high, 2 medium, 1 low\)\./);
    assert.match(
      stdout,
      /not used: .*postconf-M\.txt \(master\.cf is read from .*etc\/postfix\/master\.cf\)/,
    );
    assert.match(stdout, /HIGH {3}alias-expansion-twice {2}.*master\.cf:152 {2}\(127\.0\.0\.1:10026\/inet\)/);
  });

  test("a clean configuration: no problems", async () => {
    const { code, stdout } = await runCli(["audit", path.join(CONFIGS, "story-fixed")]);
    assert.equal(code, 0);
    assert.match(stdout, /^Configuration audit: no problems found\./);
  });

  test("no PATH: runs postconf -n/-M/-P and doveconf -n found on PATH", async () => {
    const bin = tempDir("spamtrail-fake-bin-");
    const dumps = tempDir("spamtrail-dumps-");
    for (const f of ["postconf-n.txt", "postconf-M.txt", "postconf-P.txt", "doveconf-n.txt"])
      copyFileSync(path.join(LAB_CONFIG, f), path.join(dumps, f));
    // Fake commands that print the lab server's saved output, as the real ones would on it.
    writeFileSync(
      path.join(bin, "postconf"),
      `#!/bin/sh\ncase "$1" in -n) cat ${dumps}/postconf-n.txt;; -M) cat ${dumps}/postconf-M.txt;; -P) cat ${dumps}/postconf-P.txt;; *) exit 1;; esac\n`,
    );
    writeFileSync(path.join(bin, "doveconf"), `#!/bin/sh\n[ "$1" = -n ] && cat ${dumps}/doveconf-n.txt\n`);
    chmodSync(path.join(bin, "postconf"), 0o755);
    chmodSync(path.join(bin, "doveconf"), 0o755);
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const { code, stdout } = await runCli(["audit"], "", env);
    assert.equal(code, 0);
    assert.match(stdout, /ran postconf -n\n {2}ran postconf -M\n {2}ran postconf -P\n {2}ran doveconf -n\n/);
    assert.match(stdout, /\/etc\/dspam: (not found|read)/);
    const results = await auditJson([], env);
    // Without dspam.conf and the virtual map, the audit still sees the Postfix and Dovecot problems.
    for (const id of [
      "alias-expansion-twice",
      "auth-on-port-25",
      "filter-on-authenticated",
      "filter-on-local",
      "training-user-mismatch",
    ])
      assert.ok(
        results.some((r) => r.check === id),
        id,
      );
    const twice = results.find((r) => r.check === "alias-expansion-twice");
    assert.equal(twice?.file, "postconf -P");
    assert.equal(twice?.line, 13);
  });

  test("no PATH and nothing on this machine: one line, exit 1", async () => {
    const { code, stderr } = await runCli(["audit"], "", { ...process.env, PATH: tempDir() });
    if (code === 0) return; // this machine has a mail server's configuration
    assert.equal(code, 1);
    assert.match(stderr, /^spamtrail audit: no configuration found \(postconf -n: not found; .*\)\n$/);
  });

  test("an unreadable or unrecognised PATH is a result, not a crash", async () => {
    const dir = tempDir();
    const binary = path.join(dir, "virtual.db");
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 0]));
    const results = await auditJson([binary, path.join(dir, "missing.cf")]);
    assert.deepEqual(
      results.map((r) => [r.check, path.basename(r.file ?? "")]),
      [
        ["unreadable-config", "virtual.db"],
        ["unreadable-config", "missing.cf"],
      ],
    );
  });
});

describe("spamtrail audit --db", () => {
  const { db, file } = tempDatabase();
  before(async () => {
    await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
  });

  test("each problem is confirmed by the lab's logs, with counts and finding ids", async () => {
    const results = await auditJson([
      "--db",
      file,
      path.join(LAB_CONFIG, "etc"),
      path.join(LAB_CONFIG, "dspam"),
    ]);
    assert.deepEqual(checks(results), LAB_CHECKS);
    for (const r of results) assert.equal(r.evidenceStatus, "confirmed", r.check);
    const twice = results.find((r) => r.check === "alias-expansion-twice");
    assert.equal(twice?.evidence[0]?.messages, 16);
    assert.ok((twice?.evidence[0]?.findingIds?.length ?? 0) > 0);
  });

  test("symptoms the configuration does not explain are said so; problems without symptoms are predicted", async () => {
    const results = await auditJson(["--db", file, path.join(CONFIGS, "story-expansion-before-filter")]);
    const unexplained = results.filter((r) => r.check === "unexplained-symptom");
    assert.ok(
      unexplained.some(
        (r) => r.evidence[0]?.kind === "duplicate-delivery" && /does not explain it/.test(r.problem),
      ),
    );
    const afterFilter = results.find((r) => r.check === "alias-expansion-after-filter");
    assert.equal(afterFilter?.evidenceStatus, "confirmed"); // the lab judged bob.oncall@ (a forward) under its own user
  });

  test("a snapshot is stored when the effective settings change, not otherwise (a copy elsewhere is the same configuration)", async () => {
    const dir = tempDir();
    cpSync(path.join(CONFIGS, "story-expansion-before-filter"), dir, { recursive: true });
    await runCli(["audit", "--db", file, dir]);
    const again = await runCli(["audit", "--db", file, dir]);
    assert.match(again.stdout, /configuration unchanged since snapshot #\d+/);
    const master = path.join(dir, "etc/postfix/master.cf");
    writeFileSync(
      master,
      readFileSync(master, "utf8").replace("  -o receive_override_options=no_address_mappings\n", ""),
    );
    const count = () => (db.prepare("SELECT COUNT(*) AS n FROM ConfigSnapshot").get() as { n: number }).n;
    const before = count();
    const changed = await runCli(["audit", "--db", file, dir]);
    assert.match(changed.stdout, /configuration stored as snapshot #\d+ \(it changed\)/);
    assert.equal(count(), before + 1);
  });
});
