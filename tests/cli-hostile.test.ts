// Log values written by strangers reach the administrator's terminal through every human-readable
// command: escape sequences (colour, clear screen, window title, OSC 8 links), BEL and bidi
// overrides must arrive as visible text, and the command `findings` suggests must be safe to paste.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runCli } from "./helpers/run-cli.ts";
import { tempDir } from "./helpers/temp-dir.ts";
import { writeHostileLogs } from "./report/hostile-lines.ts";

const dir = tempDir("spamtrail-terminal-");
const PWNED = path.join(dir, "pwned");
const VALUES = {
  sasl: "alice\u001b]0;owned window title\u0007",
  // A quote closes a naively quoted shell word; $( … ) runs what follows.
  messageId: `q'$(touch\${IFS}${PWNED})'@evil.example`,
  from: "\u001b]8;;https://evil.example/\u0007click here\u001b]8;;\u0007@evil.example",
  to: "\u001b[2J\u001b[Hbob@partner.example.org",
  headerFrom: "\u009b31mC1 CSI\u202e",
  subject: "invoice\u202egpj.exe \u001b[31mred\u001b[0m\u0007",
};
const logs = writeHostileLogs(path.join(dir, "logs"), VALUES);
const db = path.join(dir, "hostile.db");
// A directory DSPAM would make for a hostile recipient, holding a file that is not a log.
const odd = path.join(logs, "var/spool/dspam/data/\u001b[5mblink\u001b]0;title\u0007");
mkdirSync(odd, { recursive: true });
writeFileSync(path.join(odd, "x.css"), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));

// Anything a terminal acts on instead of showing: C0 but newline and tab, DEL, C1, bidi and format characters.
const ACTIVE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

function assertInert(output: string, what: string): void {
  const found = ACTIVE.exec(output);
  assert.equal(found, null, `${what} printed U+${found?.[0].codePointAt(0)?.toString(16)} raw`);
}

const ingest = await runCli(["ingest", "--db", db, "--year", "2026", logs]);

describe("hostile log values in the terminal", () => {
  test("ingest stores the lines and shows the skipped file's name visibly", () => {
    assert.equal(ingest.code, 0, ingest.stderr);
    assertInert(ingest.stdout + ingest.stderr, "ingest");
    assert.match(ingest.stdout, /skipped .*\\u001b\[5mblink\\u001b\]0;title\\u0007\/x\.css: binary file/);
  });

  test("findings, message, users and parse render every control and bidi character as \\uXXXX", async () => {
    const outputs = {
      findings: await runCli(["findings", "--db", db]),
      message: await runCli(["message", "--db", db, "--lines", VALUES.messageId]),
      users: await runCli(["users", "--db", db]),
      parse: await runCli(["parse", "--year", "2026", path.join(logs, "var/log/mail.log")]),
      parseDspam: await runCli(["parse", path.join(logs, "var/spool/dspam/system.log")]),
    };
    for (const [name, run] of Object.entries(outputs)) {
      assert.equal(run.code, 0, `${name}: ${run.stderr}`);
      assertInert(run.stdout + run.stderr, name);
    }
    const message = outputs.message.stdout;
    assert.ok(message.includes("invoice\\u202egpj.exe \\u001b[31mred\\u001b[0m\\u0007"), "the subject");
    assert.ok(message.includes("alice\\u001b]0;owned window title\\u0007"), "the SASL login");
    assert.ok(message.includes("\\u001b]8;;https://evil.example/\\u0007click here"), "the OSC 8 sender");
    // (DSPAM user names are compared in lower case)
    assert.ok(outputs.users.stdout.includes("\\u001b[2j\\u001b[hbob@partner.example.org"), "the DSPAM user");
    assert.ok(outputs.parseDspam.stdout.includes("\\u009b31mC1 CSI\\u202e"), "DSPAM's From, a C1 CSI");
  });

  test("--json stays valid JSON and holds the values exactly", async () => {
    const run = await runCli(["message", "--db", db, "--json", VALUES.messageId]);
    assertInert(run.stdout, "message --json");
    const json = JSON.parse(run.stdout) as { subject: string; saslUsername: string };
    assert.equal(json.subject, VALUES.subject);
    assert.equal(json.saslUsername, VALUES.sasl);
  });

  test("the command findings suggests runs as shown in a shell and finds the message", async () => {
    const { stdout } = await runCli(["findings", "--db", db]);
    const suggested = stdout.match(/e\.g\. (spamtrail message .*)$/m)?.[1];
    assert.ok(suggested, stdout);
    // The shell reads the line; `spamtrail` here prints the arguments it was given.
    const args = execFileSync("sh", ["-c", `spamtrail() { printf '%s\\n' "$@"; }\n${suggested}`], {
      encoding: "utf8",
    });
    assert.equal(existsSync(PWNED), false, "the pasted command ran the Message-ID's $(…)");
    assert.deepEqual(args.split("\n").slice(0, -1), ["message", VALUES.messageId]);
    const found = await runCli(["message", "--db", db, VALUES.messageId]);
    assert.equal(found.code, 0);
  });
});
