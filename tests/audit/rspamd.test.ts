import assert from "node:assert/strict";
import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { applyEdits } from "../../lib/audit/edits.ts";
import { readConfigPaths, readServerConfig } from "../../lib/audit/read-config.ts";
import { runAudit } from "../../lib/audit/run-audit.ts";
import { effectiveSettings } from "../../lib/audit/settings.ts";
import type { CheckId, ConfigFile } from "../../lib/audit/types.ts";
import { projectRoot } from "../../lib/core/paths.ts";
import { prismaFor } from "../../lib/db/prisma.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { getConfigAudit } from "../../lib/queries/config-audit.ts";
import { runCli } from "../helpers/run-cli.ts";
import { tempDatabase } from "../helpers/temp-db.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { labFiles, variant } from "./configs.ts";

const RSPAMD_LAB = path.join(projectRoot(), "prisma", "demo", "lab-rspamd", "config");
const lab = () => readConfigPaths([RSPAMD_LAB]).files;
/** The lab server as dumps: postconf -n/-M/-P, doveconf -n, rspamadm configdump, maps and scripts. */
const labDumps = () =>
  readConfigPaths(
    [
      "postconf-n.txt",
      "postconf-M.txt",
      "postconf-P.txt",
      "doveconf-n.txt",
      "rspamadm-configdump.txt",
      "postfix/virtual",
      "dovecot/sieve",
    ].map((p) => path.join(RSPAMD_LAB, p)),
  ).files;

const LOCAL = "rspamd/local.d/";
const conf = (file: string, text: string): ConfigFile => ({ path: file, kind: "rspamd-conf", text });
const localFile = (name: string, text: string) => conf(path.join(RSPAMD_LAB, LOCAL, name), text);
const rspamdChecks = (files: ConfigFile[]) =>
  runAudit(files)
    .results.map((r) => r.check)
    .filter((c) => c.startsWith("rspamd-") || c === "mynetworks-too-broad" || c === "unreadable-config")
    .sort();

/** The lab's pitfalls (prisma/demo/lab-rspamd/README.md "deliberate mistakes"). */
const LAB_RSPAMD: CheckId[] = [
  "rspamd-bayes-keyed-by-alias",
  "rspamd-min-learns",
  "rspamd-scans-authenticated",
  "rspamd-scans-local",
];

const RAW_LOGIN: [string, string, string] = [
  "learn-spam.sh",
  '*)   user="$1@example.com" ;;',
  '*)   user="$1" ;;',
];

const SIEVE_PIPE = `pipe :copy "learn-spam.sh" [ "\${username}" ];`;
const SIEVE_RSPAMC: [string, string, string] = [
  "report-spam.sieve",
  SIEVE_PIPE,
  `pipe :copy "rspamc" [ "-d", "\${username}", "learn_spam" ];`,
];
const CONTINUED: [string, string, string] = [
  "learn-ham.sh",
  'out=$(/usr/bin/rspamc -h 127.0.0.1:11334 -d "$user" learn_ham 2>&1)',
  'out=$(/usr/bin/rspamc -h 127.0.0.1:11334 \\\n  -d "$1" learn_ham 2>&1)',
];

const CASES: { name: string; files: () => ConfigFile[]; want: CheckId[]; says?: [CheckId, RegExp] }[] = [
  { name: "the lab server (files): its README's pitfalls", files: lab, want: LAB_RSPAMD },
  {
    name: "the same server as dumps (rspamadm configdump, postconf, doveconf)",
    files: labDumps,
    want: LAB_RSPAMD,
  },
  {
    name: "a settings rule for authenticated senders: submission's scans are no longer a problem",
    files: () => [
      ...lab(),
      localFile(
        "settings.conf",
        'outbound {\n  authenticated = yes;\n  apply { actions { "add header" = null; } }\n}\n',
      ),
    ],
    want: LAB_RSPAMD.filter((c) => c !== "rspamd-scans-authenticated"),
  },
  {
    name: "a settings rule for local clients (local = yes)",
    files: () => [
      ...lab(),
      localFile("settings.conf", "lan { priority = high; local = yes; apply { BAYES_SPAM = 0; } }\n"),
    ],
    want: LAB_RSPAMD.filter((c) => c !== "rspamd-scans-local"),
  },
  {
    name: "the milter switched off on submission (-o smtpd_milters=)",
    files: () =>
      variant(lab(), [
        [
          "postfix/master.cf",
          "    -o syslog_name=postfix/submission\n",
          "    -o syslog_name=postfix/submission\n    -o smtpd_milters=\n",
        ],
      ]),
    want: LAB_RSPAMD.filter((c) => c !== "rspamd-scans-authenticated"),
  },
  {
    name: "non_smtpd_milters reaching Rspamd: sendmail's mail is scanned too (one result: one settings rule fixes both)",
    files: () =>
      variant(lab(), [
        ["postfix/main.cf", "non_smtpd_milters = \n", "non_smtpd_milters = inet:127.0.0.1:11332\n"],
      ]),
    want: LAB_RSPAMD,
    says: [
      "rspamd-scans-local",
      /mail from mynetworks .* on smtp inet \(port 25\) and mail made on this server with sendmail/,
    ],
  },
  {
    name: "learn script passing the raw IMAP login (no domain added): learns miss the recipient's Bayes",
    files: () => variant(lab(), [RAW_LOGIN]),
    want: [...LAB_RSPAMD, "rspamd-learn-user-mismatch"].sort() as CheckId[],
  },
  {
    name: "raw login, but Dovecot's auth_default_realm gives every login a domain",
    files: () =>
      variant(lab(), [RAW_LOGIN, ["dovecot/dovecot.conf", "", "auth_default_realm = example.com\n"]]),
    want: LAB_RSPAMD,
  },
  {
    name: "learn scripts without -d (the plain IMAPSieve recipe): Rspamd keys learns by the To: address",
    files: () =>
      variant(lab(), [
        ["learn-spam.sh", '-d "$user" learn_spam', "learn_spam"],
        ["learn-ham.sh", '-d "$user" learn_ham', "learn_ham"],
      ]),
    want: [...LAB_RSPAMD, "rspamd-learn-user-mismatch", "rspamd-learn-user-mismatch"].sort() as CheckId[],
  },
  {
    name: "a sieve script piping into rspamc itself with -d (imap.user, the login as typed)",
    files: () => variant(lab(), [SIEVE_RSPAMC]),
    want: [...LAB_RSPAMD, "rspamd-learn-user-mismatch"].sort() as CheckId[],
  },
  {
    name: "a learn script whose rspamc call continues over two lines, -d with the raw login",
    files: () => variant(lab(), [CONTINUED]),
    want: [...LAB_RSPAMD, "rspamd-learn-user-mismatch"].sort() as CheckId[],
  },
  {
    name: "one Bayes for the server (users_enabled = false): no per-user pitfalls",
    files: () =>
      variant(lab(), [[`${LOCAL}classifier-bayes.conf`, "users_enabled = true;", "users_enabled = false;"]]),
    want: ["rspamd-scans-authenticated", "rspamd-scans-local"],
  },
  {
    name: "per_user (the other spelling) with autolearn on: min_learns is reached without manual retraining",
    files: () =>
      variant(lab(), [
        [`${LOCAL}classifier-bayes.conf`, "users_enabled = true;", "per_user = true;"],
        [`${LOCAL}classifier-bayes.conf`, "autolearn = false;", "autolearn = [-5, 10];"],
      ]),
    want: LAB_RSPAMD.filter((c) => c !== "rspamd-min-learns"),
  },
  {
    name: "rspamd.conf.local.override beside local.d: its classifier section replaces local.d's",
    files: () => [
      ...lab(),
      conf(
        path.join(RSPAMD_LAB, "rspamd/rspamd.conf.local.override"),
        'classifier "bayes" {\n  backend = "redis";\n}\n',
      ),
    ],
    want: ["rspamd-scans-authenticated", "rspamd-scans-local"], // redis.conf still serves Bayes
  },
  {
    name: "mynetworks with a whole private range",
    files: () =>
      variant(lab(), [
        ["postfix/main.cf", "mynetworks = 127.0.0.1/32", "mynetworks = 127.0.0.1/32 192.168.0.0/16"],
      ]),
    want: [...LAB_RSPAMD, "mynetworks-too-broad"].sort() as CheckId[],
  },
  {
    name: "no Redis server for Bayes, neither in the classifier nor in redis.conf",
    files: () =>
      variant(lab(), [
        [`${LOCAL}classifier-bayes.conf`, 'servers = "127.0.0.1:6379";', ""],
        [`${LOCAL}redis.conf`, 'servers = "127.0.0.1:6379";', ""],
      ]),
    want: [...LAB_RSPAMD, "rspamd-bayes-no-redis"].sort() as CheckId[],
  },
  {
    name: "a line of a local.d file Rspamd's syntax does not allow: reported, the rest still audited",
    files: () => variant(lab(), [[`${LOCAL}actions.conf`, "greylist = null;", 'greylist = "4;']]),
    want: [...LAB_RSPAMD, "unreadable-config"].sort() as CheckId[],
  },
];

/** The configuration after every edit of the results, files a fix creates included. */
function applyAll(files: ConfigFile[], results: ReturnType<typeof runAudit>["results"]): ConfigFile[] {
  const texts = applyEdits(
    new Map(files.map((f) => [f.path, f.text])),
    results.flatMap((r) => r.edits),
  );
  const created = [...texts.keys()]
    .filter((p) => !files.some((f) => f.path === p))
    .map((p) => conf(p, texts.get(p) ?? ""));
  return [...files.map((f) => ({ ...f, text: texts.get(f.path) ?? f.text })), ...created];
}

describe("Rspamd checks on the lab's real configuration and its variants", () => {
  for (const c of CASES)
    test(c.name, () => {
      assert.deepEqual(rspamdChecks(c.files()), c.want);
      if (c.says) {
        const [check, text] = c.says;
        assert.match(runAudit(c.files()).results.find((r) => r.check === check)?.problem ?? "", text);
      }
    });

  test("results point at the line behind each problem", () => {
    const where = runAudit(lab()).results.map(
      (r) => `${r.check} ${path.relative(RSPAMD_LAB, r.file ?? "")}:${r.line} ${r.service ?? ""}`,
    );
    assert.deepEqual(where, [
      "rspamd-scans-authenticated postfix/main.cf:31 submission/inet",
      "rspamd-bayes-keyed-by-alias rspamd/local.d/classifier-bayes.conf:4 ",
      "rspamd-scans-local postfix/main.cf:31 smtp/inet",
      "rspamd-min-learns rspamd/local.d/classifier-bayes.conf:5 ",
    ]);
    const authenticated = runAudit(lab()).results.find((r) => r.check === "rspamd-scans-authenticated");
    assert.match(authenticated?.problem ?? "", /skip_authenticated = false, milter_headers\.conf:3/);
  });

  for (const [name, files] of [
    ["the lab", lab],
    [
      "raw logins, no -d, a wide mynetworks",
      () =>
        variant(lab(), [
          RAW_LOGIN,
          ["learn-ham.sh", '-d "$user" learn_ham', "learn_ham"],
          ["postfix/main.cf", "mynetworks = 127.0.0.1/32", "mynetworks = 0.0.0.0/0"],
          ["postfix/main.cf", "non_smtpd_milters = \n", "non_smtpd_milters = inet:127.0.0.1:11332\n"],
        ]),
    ],
    [
      "rspamc piped from sieve without -d, a continued rspamc line",
      () =>
        variant(lab(), [
          ["report-spam.sieve", SIEVE_PIPE, 'pipe :copy "rspamc" [ "learn_spam" ];'],
          CONTINUED,
        ]),
    ],
    ["rspamc piped from sieve with the login", () => variant(lab(), [SIEVE_RSPAMC])],
  ] as const)
    test(`every fix applied makes its check pass (${name})`, () => {
      const before = runAudit(files()).results;
      assert.ok(before.length >= 4);
      for (const r of before) assert.ok(r.edits.length > 0, `${r.check} has edits`);
      const after = runAudit(applyAll(files(), before)).results;
      assert.deepEqual(
        after.map((r) => r.check),
        [],
      );
    });

  test("a full /etc/rspamd: rspamd.conf's includes, local.d merged into the defaults, override.d replacing", () => {
    const etc = "/srv/copy/etc/rspamd";
    const files = [
      ...lab().filter((f) => f.kind !== "rspamd-conf" && f.kind !== "rspamd-configdump"),
      conf(
        `${etc}/rspamd.conf`,
        [
          '.include "$CONFDIR/common.conf"',
          'worker "rspamd_proxy" {',
          '  bind_socket = "localhost:11332";',
          '  .include "$CONFDIR/worker-proxy.inc"',
          '  .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/worker-proxy.inc"',
          "}",
          "redis {",
          '  .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/redis.conf"',
          "}",
          "settings {",
          '  .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/settings.conf"',
          "}",
        ].join("\n"),
      ),
      conf(`${etc}/common.conf`, '.include "$CONFDIR/statistic.conf"\n'),
      conf(`${etc}/worker-proxy.inc`, "milter = yes;\ntimeout = 120s;\n"),
      conf(
        `${etc}/statistic.conf`,
        [
          'classifier "bayes" {',
          "  min_learns = 200;",
          '  backend = "redis";',
          "  autolearn { spam_threshold = 6.0; }",
          '  .include(try=true; priority=1) "$LOCAL_CONFDIR/local.d/classifier-bayes.conf"',
          '  .include(try=true; priority=10) "$LOCAL_CONFDIR/override.d/classifier-bayes.conf"',
          "}",
        ].join("\n"),
      ),
      conf(`${etc}/local.d/classifier-bayes.conf`, "per_user = true;\nautolearn = false;\n"),
      conf(`${etc}/override.d/classifier-bayes.conf`, "min_learns = 50;\n"),
      conf(`${etc}/local.d/worker-proxy.inc`, 'bind_socket = "127.0.0.1:11332";\n'),
      conf(`${etc}/local.d/redis.conf`, 'servers = "127.0.0.1";\n'),
      conf(
        `${etc}/local.d/settings.conf`,
        "auth { authenticated = yes; apply { actions { reject = 30; } } }\n",
      ),
    ];
    const audit = runAudit(files);
    const rspamd = audit.model.rspamd;
    assert.equal(rspamd?.bayes.minLearns.value, "50"); // override.d wins
    assert.equal(rspamd?.bayes.autolearn?.value, "false"); // local.d replaced the default's autolearn
    assert.deepEqual(rspamd?.milterSockets, ["127.0.0.1:11332"]);
    assert.deepEqual(
      rspamd?.settingsRules.map((r) => [r.name, r.authenticated]),
      [["auth", true]],
    );
    assert.deepEqual(rspamdChecks(files), [
      "rspamd-bayes-keyed-by-alias",
      "rspamd-min-learns",
      "rspamd-scans-local",
    ]);
    const minLearns = audit.results.find((r) => r.check === "rspamd-min-learns");
    assert.equal(minLearns?.file, `${etc}/override.d/classifier-bayes.conf`);
    assert.equal(minLearns?.line, 1);
  });

  test("a server without Rspamd: no Rspamd result, and its snapshot settings are what they were", () => {
    const audit = runAudit(labFiles());
    assert.equal(audit.model.rspamd, null);
    assert.ok(
      !audit.results.some((r) => r.check.startsWith("rspamd-") || r.check === "mynetworks-too-broad"),
    );
    assert.ok(!Object.keys(effectiveSettings(audit.model)).some((k) => k.startsWith("rspamd ")));
  });
});

describe("spamtrail audit on the lab's Rspamd configuration (end to end)", () => {
  test("without PATH, /etc/rspamd is read beside /etc/postfix, /etc/dovecot and /etc/dspam", async () => {
    const noCommands = async () => ({ ok: false as const, reason: "not found" });
    const server = await readServerConfig(noCommands);
    assert.ok(server.notes.some((n) => /^\/etc\/rspamd: not found$|^read \/etc\/rspamd /.test(n)));
    const copy = path.join(tempDir("spamtrail-etc-"), "rspamd");
    cpSync(path.join(RSPAMD_LAB, "rspamd"), copy, { recursive: true });
    const read = await readServerConfig(noCommands, [copy]);
    assert.equal(read.files.filter((f) => f.kind === "rspamd-conf").length, 32);
    assert.ok(runAudit(read.files).model.rspamd?.bayes.perUserMode === "recipient");
  });

  test("audit --db on the lab's own logs: every problem with a symptom is confirmed, no symptom left unexplained", async () => {
    const { db, file } = tempDatabase();
    await ingestLogs(db, [path.join(RSPAMD_LAB, "..", "logs")], {});
    const { code, stdout, stderr } = await runCli(["audit", "--json", "--db", file, RSPAMD_LAB]);
    assert.equal(code, 0, stderr);
    const results = JSON.parse(stdout) as { check: string; evidenceStatus: string }[];
    assert.deepEqual(
      results.map((r) => `${r.check} ${r.evidenceStatus}`),
      [
        "rspamd-scans-authenticated confirmed",
        "rspamd-bayes-keyed-by-alias confirmed",
        "rspamd-scans-local confirmed",
        "rspamd-min-learns not-checked",
      ],
    );
  });

  test("the CLI finds Rspamd's configuration in the directory, stores it, and a fix shows on the Config page's data", async () => {
    const { file } = tempDatabase();
    const dir = tempDir("spamtrail-rspamd-config-");
    cpSync(RSPAMD_LAB, dir, { recursive: true });
    const first = await runCli(["audit", "--json", "--db", file, dir]);
    assert.equal(first.code, 0, first.stderr);
    const results = JSON.parse(first.stdout) as { check: string; evidenceStatus: string }[];
    assert.deepEqual(
      results
        .map((r) => r.check)
        .filter((c) => c !== "unexplained-symptom")
        .sort(),
      LAB_RSPAMD,
    );
    const text = await runCli(["audit", "--db", file, dir]);
    assert.match(
      text.stdout,
      /not used: .*rspamadm-configdump\.txt \(Rspamd's settings are read from its configuration files\)/,
    );
    assert.match(text.stdout, /configuration unchanged since snapshot #\d+/);
    writeFileSync(
      path.join(dir, "rspamd/local.d/settings.conf"),
      'authenticated {\n  priority = high;\n  authenticated = yes;\n  apply { actions { "add header" = null; } }\n}\n',
    );
    const fixed = await runCli(["audit", "--db", file, dir]);
    assert.match(fixed.stdout, /configuration stored as snapshot #\d+ \(it changed\)/);
    const view = await getConfigAudit(prismaFor(file));
    assert.ok(view);
    assert.ok(view.results.some((r) => r.check === "rspamd-min-learns"));
    assert.ok(!view.results.some((r) => r.check === "rspamd-scans-authenticated"));
    const change = view.history[0];
    assert.ok(change?.changes.some((c) => c.startsWith("rspamd settings.authenticated.authenticated = yes")));
    assert.ok(change?.resolved.some((r) => r.check === "rspamd-scans-authenticated"));
  });
});
