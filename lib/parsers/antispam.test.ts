import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LAB_LOGS, realLines } from "../../tests/helpers/fixtures.ts";
import type { LogEvent } from "../core/events.ts";
import { parseEnvelope } from "../syslog/envelope.ts";
import { parseAntispamMessage } from "./antispam.ts";
import { parseEvent } from "./index.ts";

const LAB = "lab var/log/syslog";
const LOCAL = "dovecot-antispam 2.0+20171229 on loopback, verbose debug (real-lines antispam.jsonl)";

function eventOf(line: string): LogEvent {
  const envelope = parseEnvelope(line);
  assert.ok(envelope, `no envelope: ${line}`);
  return parseEvent(envelope.program, envelope.message);
}

const cases: { name: string; source: string; line: string; want: LogEvent }[] = [
  {
    name: "retrain command with --user as two arguments and a trailing space",
    source: LAB,
    line: "2026-11-22T03:27:46.636283+00:00 mail imap: antispam: /usr/bin/dspam --source=error --class=spam --signature=6b02610c291101861615497 --deliver= --client --user dave ",
    want: {
      kind: "antispam.command",
      dspamClass: "spam",
      signature: "6b02610c291101861615497",
      dspamUser: "dave",
      binary: "/usr/bin/dspam",
      args: [
        "--source=error",
        "--class=spam",
        "--signature=6b02610c291101861615497",
        "--deliver=",
        "--client",
        "--user",
        "dave",
      ],
    },
  },
  {
    name: "innocent retrain",
    source: LAB,
    line: "2026-11-22T03:27:38.425347+00:00 mail imap: antispam: /usr/bin/dspam --source=error --class=innocent --signature=6b026102291106316811857 --deliver= --client --user alice@example.com ",
    want: {
      kind: "antispam.command",
      dspamClass: "innocent",
      signature: "6b026102291106316811857",
      dspamUser: "alice@example.com",
      binary: "/usr/bin/dspam",
      args: [
        "--source=error",
        "--class=innocent",
        "--signature=6b026102291106316811857",
        "--deliver=",
        "--client",
        "--user",
        "alice@example.com",
      ],
    },
  },
  {
    name: "copy decision",
    source: LOCAL,
    line: "Nov 22 03:09:19 vm imap: antispam: mail copy: src spam: 0, dst spam: 1, src unsure: 0",
    want: { kind: "antispam.copy", srcSpam: false, dstSpam: true, srcUnsure: false },
  },
  {
    name: "trash check before the copy decision",
    source: LOCAL,
    line: "Nov 22 03:09:19 vm imap: antispam: mail copy: from trash: 0, to trash: 0",
    want: { kind: "antispam.trash-check", fromTrash: false, toTrash: false },
  },
  {
    name: "mailbox check",
    source: LOCAL,
    line: "Nov 22 03:09:19 vm imap: antispam: mailbox_is_spam(Spam): 1",
    want: { kind: "antispam.mailbox-check", check: "spam", mailbox: "Spam", result: true },
  },
  {
    name: "plugin version",
    source: LAB,
    line: "2026-11-22T03:27:36.359975+00:00 mail imap: antispam: plugin initialising (2.0-notgit)",
    want: {
      kind: "antispam.config",
      text: "plugin initialising (2.0-notgit)",
      setting: "version",
      value: "2.0-notgit",
    },
  },
  {
    name: "spam folder",
    source: LAB,
    line: '2026-11-22T03:27:36.360085+00:00 mail imap: antispam: "Junk" is exact match spam folder',
    want: {
      kind: "antispam.config",
      text: '"Junk" is exact match spam folder',
      setting: "antispam_spam",
      value: "Junk",
    },
  },
  {
    name: "no unsure folders",
    source: LAB,
    line: "2026-11-22T03:27:36.360105+00:00 mail imap: antispam: no unsure folders",
    want: { kind: "antispam.config", text: "no unsure folders", setting: "antispam_unsure", value: "" },
  },
  {
    name: "extra dspam argument: the raw IMAP login bob",
    source: LAB,
    line: "2026-11-22T03:27:40.457509+00:00 mail imap: antispam: dspam extra arg bob",
    want: {
      kind: "antispam.config",
      text: "dspam extra arg bob",
      setting: "antispam_dspam_args",
      value: "bob",
      extraArg: "bob",
    },
  },
  {
    name: "signature header",
    source: LOCAL,
    line: 'Nov 22 03:09:19 vm imap: antispam: signature header line is "X-DSPAM-Signature"',
    want: {
      kind: "antispam.config",
      text: 'signature header line is "X-DSPAM-Signature"',
      setting: "antispam_signature",
      value: "X-DSPAM-Signature",
    },
  },
  {
    name: "result blacklist",
    source: LOCAL,
    line: "Nov 22 03:09:19 vm imap: antispam: dspam result blacklist Virus",
    want: {
      kind: "antispam.config",
      text: "dspam result blacklist Virus",
      setting: "antispam_dspam_result_blacklist",
      value: "Virus",
    },
  },
];

const REAL = new Set([
  ...readFileSync(path.join(LAB_LOGS, "var/log/syslog"), "utf8").split("\n"),
  ...realLines("antispam").map((record) => record.line),
]);

describe("parseAntispamMessage: real imap: antispam: lines", () => {
  for (const { name, source, line, want } of cases) {
    test(`${name} (${source})`, () => {
      assert.ok(REAL.has(line), "the line is real");
      assert.deepEqual(eventOf(line), want);
    });
  }
});

// No public sample exists for the failure lines; these are the plugin's format strings filled in
// (dspam.c `debug("dspam error: %s\n")`, `debug("executing %s failed: %d (uid=%d, gid=%d)")`).
describe("parseAntispamMessage: shapes known only from the source", () => {
  const fromSource: { name: string; text: string; want: LogEvent }[] = [
    {
      name: "dspam's stderr",
      text: "dspam error: Unable to find a valid signature. Aborting.",
      want: { kind: "antispam.error", text: "dspam error: Unable to find a valid signature. Aborting." },
    },
    {
      name: "exec failure",
      text: "executing /usr/bin/dspam failed: 13 (uid=5000, gid=5000)",
      want: { kind: "antispam.error", text: "executing /usr/bin/dspam failed: 13 (uid=5000, gid=5000)" },
    },
    {
      name: "--user=X form",
      text: "/usr/bin/dspam --source=error --class=spam --signature=abc --user=bob@example.com ",
      want: {
        kind: "antispam.command",
        dspamClass: "spam",
        signature: "abc",
        dspamUser: "bob@example.com",
        binary: "/usr/bin/dspam",
        args: ["--source=error", "--class=spam", "--signature=abc", "--user=bob@example.com"],
      },
    },
    {
      name: "command without --user",
      text: "/usr/bin/dspam --source=error --class=innocent --signature=abc",
      want: {
        kind: "antispam.command",
        dspamClass: "innocent",
        signature: "abc",
        dspamUser: null,
        binary: "/usr/bin/dspam",
        args: ["--source=error", "--class=innocent", "--signature=abc"],
      },
    },
    {
      name: "old plugin's doubled prefix",
      text: 'antispam: "Junk" is spam folder',
      want: {
        kind: "antispam.config",
        text: '"Junk" is spam folder',
        setting: "antispam_spam",
        value: "Junk",
      },
    },
    {
      name: "cut command",
      text: "/usr/bin/dspam --source=err",
      want: { kind: "unparsed", reason: "antispam command without --class= or --signature=" },
    },
    {
      name: "unknown text",
      text: "something new",
      want: { kind: "unparsed", reason: "unknown antispam line" },
    },
  ];
  for (const { name, text, want } of fromSource) {
    test(name, () => assert.deepEqual(parseAntispamMessage(text), want));
  }
});
