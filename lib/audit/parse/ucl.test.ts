import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../../core/paths.ts";
import { parseUcl, type UclEntry, type UclValue } from "./ucl.ts";

const LOCAL_D = path.join(projectRoot(), "prisma/demo/lab-rspamd/config/rspamd/local.d");
const lab = (name: string) => readFileSync(path.join(LOCAL_D, name), "utf8");

/** A parsed document as plain data: `key@line: value`, objects nested, includes as `.include(params) path`. */
function show(entries: UclEntry[]): unknown[] {
  return entries.map((e) =>
    e.kind === "include"
      ? `.include(${Object.entries(e.params)
          .map(([k, v]) => `${k}=${v}`)
          .join(",")}) ${e.path}@${e.line}`
      : { [`${e.key}@${e.line}`]: value(e.value) },
  );
}
const value = (v: UclValue): unknown =>
  v.kind === "scalar" ? v.text : v.kind === "array" ? v.items.map(value) : show(v.entries);

const CASES: { name: string; text: string; want: unknown[]; problems?: string[] }[] = [
  {
    name: "the lab's classifier-bayes.conf: quoted and bare values, comments after them",
    text: lab("classifier-bayes.conf"),
    want: [
      { "backend@2": "redis" },
      { "servers@3": "127.0.0.1:6379" },
      { "users_enabled@4": "true" },
      { "min_learns@5": "10" },
      { "autolearn@6": "false" },
    ],
  },
  {
    name: "the lab's logging.inc: a <<EOD multi-line string, then an array",
    text: lab("logging.inc"),
    want: [
      { "type@2": "file" },
      { "filename@3": "/var/log/rspamd/rspamd.log" },
      { "level@4": "info" },
      {
        "log_format@5": [
          "id: <$mid>,$if_qid{ qid: <$>,}$if_ip{ ip: $,}$if_user{ user: $,}$if_smtp_from{ from: <$>,}",
          "(default: $is_spam ($action): [$scores] [$symbols_scores_params]),",
          "len: $len, time: $time_real, dns req: $dns_req,",
          "digest: <$digest>$if_smtp_rcpts{, rcpts: <$>}$if_mime_rcpts{, mime_rcpts: <$>}$if_filename{, file: $}$if_forced_action{, forced: $}$if_settings_id{, settings_id: $}",
        ].join("\n"),
      },
      { "debug_modules@11": ["stat_redis"] },
    ],
  },
  {
    name: "the lab's options.inc: a section with an array and a unit value",
    text: lab("options.inc"),
    want: [
      {
        "dns@2": [{ "nameserver@3": ["127.0.0.1:53"] }, { "timeout@4": "0.5s" }, { "retransmits@5": "1" }],
      },
    ],
  },
  {
    name: 'rspamd.conf\'s layout: `worker "name" {` with the .include macros of local.d and override.d',
    text: [
      'worker "rspamd_proxy" {',
      '    bind_socket = "localhost:11332";',
      '    .include "$CONFDIR/worker-proxy.inc"',
      '    .include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/worker-proxy.inc"',
      '    .include(try=true; priority=10) "$LOCAL_CONFDIR/override.d/worker-proxy.inc"',
      "}",
    ].join("\n"),
    want: [
      {
        "worker@1": [
          {
            "rspamd_proxy@1": [
              { "bind_socket@2": "localhost:11332" },
              ".include() $CONFDIR/worker-proxy.inc@3",
              ".include(try=true,priority=1,duplicate=merge) $LOCAL_CONFDIR/local.d/worker-proxy.inc@4",
              ".include(try=true,priority=10) $LOCAL_CONFDIR/override.d/worker-proxy.inc@5",
            ],
          },
        ],
      },
    ],
  },
  {
    name: "rspamadm configdump's style: arrays without `=`, trailing commas, repeated keys, EOD;",
    text: [
      "use [",
      '    "x-spamd-result",',
      '    "x-rspamd-queue-id",',
      "]",
      'secure_ip = "127.0.0.1";',
      'secure_ip = "::1";',
      "learn_condition = <<EOD",
      "return function(task) end",
      "EOD;",
      "cache {}",
    ].join("\n"),
    want: [
      { "use@1": ["x-spamd-result", "x-rspamd-queue-id"] },
      { "secure_ip@5": "127.0.0.1" },
      { "secure_ip@6": "::1" },
      { "learn_condition@7": "return function(task) end" },
      { "cache@10": [] },
    ],
  },
  {
    name: "settings.conf: rules, quoted keys, null, block and line comments, `key value` and `key: value`",
    text: [
      "/* rules for our own users */",
      "authenticated {",
      "  priority high; # no '='",
      "  authenticated = yes;",
      '  apply { actions { "add header" = null; reject: 20 } }',
      "}",
      "learn_condition = 'return require(\"lua_bayes_learn\").can_learn';",
    ].join("\n"),
    want: [
      {
        "authenticated@2": [
          { "priority@3": "high" },
          { "authenticated@4": "yes" },
          { "apply@5": [{ "actions@5": [{ "add header@5": "null" }, { "reject@5": "20" }] }] },
        ],
      },
      { "learn_condition@7": 'return require("lua_bayes_learn").can_learn' },
    ],
  },
  {
    name: "broken lines are problems on their line; the rest is still read",
    text: [
      "min_learns = ;",
      'servers = "127.0.0.1:6379;',
      ".frobnicate(x=1)",
      "backend = redis;",
      "autolearn {",
      "  spam_threshold = 6.0;",
    ].join("\n"),
    want: [{ "backend@4": "redis" }, { "autolearn@5": [{ "spam_threshold@6": "6.0" }] }],
    problems: [
      "1: a setting without a value",
      "2: a quoted string that never ends",
      "3: unknown macro .frobnicate",
      '5: a section opened without its closing "}"',
    ],
  },
];

describe("UCL reader (Rspamd's configuration)", () => {
  for (const c of CASES)
    test(c.name, () => {
      const doc = parseUcl(c.text);
      assert.deepEqual(show(doc.entries), c.want);
      assert.deepEqual(
        doc.problems.map((p) => `${p.line}: ${p.reason}`),
        c.problems ?? [],
      );
    });

  test("any cut of a real file ends with problems, never a crash or a hang", () => {
    const dump = readFileSync(path.join(LOCAL_D, "../../rspamadm-configdump.txt"), "utf8");
    for (const text of [lab("logging.inc"), lab("options.inc"), dump.slice(0, 2500)])
      for (let end = 0; end <= text.length; end++) {
        const doc = parseUcl(text.slice(0, end));
        assert.ok(Array.isArray(doc.entries));
      }
  });

  test("every file of the lab's local.d reads without a problem", () => {
    for (const name of ["actions.conf", "milter_headers.conf", "worker-proxy.inc", "redis.conf", "rbl.conf"])
      assert.deepEqual(parseUcl(lab(name)).problems, [], name);
  });
});
