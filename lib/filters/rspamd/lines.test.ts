import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { parseRspamdEvent, type RspamdEvent } from "./index.ts";
import { parseLearnScriptLine, summariseLearnRun } from "./learn-script.ts";
import { parseRspamdFileLine, parseRspamdSyslogMessage } from "./log-line.ts";

const LAB = "prisma/demo/lab-rspamd/logs/var/log/rspamd/rspamd.log";
const LAB_MAIL = "prisma/demo/lab-rspamd/logs/var/log/mail.log";

describe("Rspamd log line envelope", () => {
  test(`file line with task id and module (${LAB})`, () => {
    const line = parseRspamdFileLine(
      "2026-12-06 10:33:34 #19255(rspamd_proxy) <78b77d>; milter; rspamd_milter_process_command: got connection from 127.0.0.2:47075",
    );
    assert.deepEqual(line, {
      time: { year: 2026, month: 11, day: 6, hour: 10, minute: 33, second: 34, ms: 0 },
      pid: 19255,
      process: "rspamd_proxy",
      taskId: "78b77d",
      module: "milter",
      fn: "rspamd_milter_process_command",
      message: "got connection from 127.0.0.2:47075",
    });
  });
  test("file line without task id nor module", () => {
    const line = parseRspamdFileLine(
      "2026-12-06 10:35:11 #19258(controller) rspamd_controller_on_terminate: closing rrd file: /var/lib/rspamd/rspamd.rrd",
    );
    assert.equal(line?.taskId, null);
    assert.equal(line?.module, null);
    assert.equal(line?.fn, "rspamd_controller_on_terminate");
    assert.equal(line?.message, "closing rrd file: /var/lib/rspamd/rspamd.rrd");
  });
  test("Lua line: empty task id, file:line as the function", () => {
    const line = parseRspamdFileLine(
      "2026-12-06 10:23:20 #19125(main) <>; lua; lua_util.lua:1075: enable debug for Lua module stat_redis",
    );
    assert.equal(line?.taskId, null);
    assert.equal(line?.module, "lua");
    assert.equal(line?.fn, "lua_util.lua:1075");
  });
  test("module without a task id (start-up)", () => {
    const line = parseRspamdFileLine(
      "2026-12-06 10:23:21 #19125(main) lua; lua_cfg_transform.lua:161: group excessqp has no symbols",
    );
    assert.equal(line?.taskId, null);
    assert.equal(line?.module, "lua");
    assert.equal(line?.fn, "lua_cfg_transform.lua:161");
    assert.equal(line?.message, "group excessqp has no symbols");
  });
  test("log_usec fraction of a second", () => {
    const line = parseRspamdFileLine(
      "2026-12-06 10:33:34.123456 #19259(normal) <a385af>; task; rspamd_message_parse: loaded message",
    );
    assert.equal(line?.time?.ms, 123);
  });
  test("through syslog (a real maillog of another server): tag rspamd[pid], no worker type", () => {
    const envelope = parseEnvelope(
      "May 15 02:05:02 mail rspamd[27538]: <8ae27d>; proxy; rspamd_message_parse: loaded message; id: <5afa242e.hP5p/mry+fTNNjms%no-reply@example.com>; queue-id: <A785B308622AB>; size: 2348; checksum: <b1035f4fb07162ba88053d9e38df9c93>",
    );
    assert.ok(envelope);
    assert.equal(envelope.program, "rspamd");
    const line = parseRspamdSyslogMessage(envelope.message, envelope.pid);
    assert.equal(line?.pid, 27538);
    assert.equal(line?.time, null);
    assert.equal(line?.taskId, "8ae27d");
    assert.equal(line?.module, "proxy");
    assert.equal(line?.fn, "rspamd_message_parse");
  });
  test("not an Rspamd line", () => {
    assert.equal(
      parseRspamdFileLine("2013-08-11 03:56:40 auth-worker(default): Info: pam(u,1.2.3.4): x"),
      null,
    );
    assert.equal(parseRspamdSyslogMessage("connect from localhost[127.0.0.1]", 1), null);
  });
});

const eventCases: { name: string; line: string; want: RspamdEvent }[] = [
  {
    name: "stat_redis names the Bayes user",
    line: "2026-12-06 10:33:34 #19259(normal) <a385af>; stat_redis; rspamd_redis_connected: connected to redis server, tokens learned for RSalice@example.com: 12",
    want: { kind: "rspamd.bayes-key", key: "RSalice@example.com", user: "alice@example.com", learns: 12 },
  },
  {
    name: "stat_redis tokens found",
    line: "2026-12-06 10:33:34 #19259(normal) <a385af>; stat_redis; rspamd_redis_processed: received tokens for RSalice@example.com: 300 processed, 70 found",
    want: {
      kind: "rspamd.bayes-tokens",
      key: "RSalice@example.com",
      user: "alice@example.com",
      processed: 300,
      found: 70,
    },
  },
  {
    name: "min_learns not reached (task module)",
    line: "2026-12-06 10:33:50 #19259(normal) <d753d6>; task; rspamd_redis_connected: skip obtaining bayes tokens for BAYES_HAM of classifier bayes: not enough learns 0; 10 required",
    want: {
      kind: "rspamd.bayes-too-few-learns",
      symbol: "BAYES_HAM",
      classifier: "bayes",
      learns: 0,
      required: 10,
    },
  },
  {
    name: "loaded message of a scan: Message-ID and queue id",
    line: "2026-12-06 10:33:34 #19259(normal) <a385af>; task; rspamd_message_parse: loaded message; id: <179655321460.27116.11213549164158060065.p6222@greatdeals.test>; queue-id: <AA0CA1866FA>; size: 900; checksum: <3dc8397a29bb7222d7c0130709f889b0>",
    want: {
      kind: "rspamd.message",
      messageId: "179655321460.27116.11213549164158060065.p6222@greatdeals.test",
      qid: "AA0CA1866FA",
      size: 900,
    },
  },
  {
    name: "loaded message of a learn: no queue id",
    line: "2026-12-06 10:33:28 #19258(controller) <e5a213>; csession; rspamd_message_parse: loaded message; id: <179655320863.27116.8560249405529309874.p2774@greatdeals.test>; queue-id: <undef>; size: 837; checksum: <4b112f73e396a5aa69cc1ccf370a24f9>",
    want: {
      kind: "rspamd.message",
      messageId: "179655320863.27116.8560249405529309874.p2774@greatdeals.test",
      qid: null,
      size: 837,
    },
  },
  {
    name: "milter connection accepted",
    line: "2026-12-06 10:33:34 #19255(rspamd_proxy) <78b77d>; proxy; proxy_accept_socket: accepted milter connection from 127.0.0.1 port 53724",
    want: { kind: "rspamd.milter-accepted", mtaIp: "127.0.0.1", mtaPort: 53724 },
  },
  {
    name: "milter client address",
    line: "2026-12-06 10:33:34 #19255(rspamd_proxy) <78b77d>; milter; rspamd_milter_process_command: got connection from 127.0.0.2:47075",
    want: { kind: "rspamd.milter-client", ip: "127.0.0.2", port: 47075 },
  },
  {
    name: "milter connection finished",
    line: "2026-12-06 10:33:34 #19255(rspamd_proxy) <2f0479>; proxy; proxy_milter_finish_handler: finished milter connection",
    want: { kind: "rspamd.milter-finished" },
  },
  {
    name: "controller learned a message",
    line: "2026-12-06 10:33:28 #19258(controller) <e5a213>; csession; rspamd_controller_learn_fin_task: <127.0.0.1> learned message as spam: 179655320863.27116.8560249405529309874.p2774@greatdeals.test",
    want: {
      kind: "rspamd.learned",
      clientIp: "127.0.0.1",
      learnClass: "spam",
      messageId: "179655320863.27116.8560249405529309874.p2774@greatdeals.test",
    },
  },
  {
    name: "learn condition refused: already in class",
    line: "2026-12-06 10:33:29 #19258(controller) <410b99>; csession; rspamd_stat_classifier_is_skipped: learn condition for classifier bayes returned: already in class ham; probability 98.85%; skip classifier",
    want: {
      kind: "rspamd.learn-skipped",
      classifier: "bayes",
      reason: "already in class ham; probability 98.85%",
      alreadyIn: "ham",
      probability: 98.85,
    },
  },
  {
    name: "all learn conditions denied",
    line: "2026-12-06 10:33:29 #19258(controller) <410b99>; csession; rspamd_task_process: skip learning: all learn conditions denied learning ham in default classifier",
    want: { kind: "rspamd.learn-denied", learnClass: "ham", classifier: "default" },
  },
  {
    name: "milter debug line of the same function is other (gist okkez 2018, milter debug on)",
    line: "2018-07-03 10:14:46 #9231(rspamd_proxy) <4fa76d>; milter; rspamd_milter_process_command: optneg: version: 6, actions: 511, protocol: 2097151",
    want: { kind: "other" },
  },
  {
    name: "controller learned a ham message (another server, 2023)",
    line: "2023-09-08 01:03:21 #3892999(controller) <115a78>; csession; rspamd_controller_learn_fin_task: <127.0.0.1> learned message as ham: ace2d1c5-3300-4802-827a-dc9d2bcb0a99@gmail.com",
    want: {
      kind: "rspamd.learned",
      clientIp: "127.0.0.1",
      learnClass: "ham",
      messageId: "ace2d1c5-3300-4802-827a-dc9d2bcb0a99@gmail.com",
    },
  },
  {
    name: "start-up line is other, not unparsed",
    line: "2026-12-06 10:23:32 #19259(normal) <eeozk4>; cfg; rspamd_stat_init: added backend redis for symbol BAYES_SPAM",
    want: { kind: "other" },
  },
  {
    name: "stat_redis line of an unknown shape is unparsed",
    line: "2026-12-06 10:33:34 #19259(normal) <a385af>; stat_redis; rspamd_redis_connected: something new",
    want: { kind: "unparsed", reason: "unknown stat_redis line: something new" },
  },
];

describe(`Rspamd line families (${LAB})`, () => {
  for (const { name, line, want } of eventCases)
    test(name, () => {
      const parsed = parseRspamdFileLine(line);
      assert.ok(parsed, `no envelope: ${line}`);
      assert.deepEqual(parseRspamdEvent(parsed), want);
    });
});

describe(`learn script lines (${LAB_MAIL})`, () => {
  const body = (line: string) => {
    const envelope = parseEnvelope(line);
    assert.ok(envelope);
    return parseLearnScriptLine(envelope.program, envelope.message);
  };
  test("refused: rc=0 but the error text says denied", () => {
    const line = body(
      '2026-12-06T10:34:46.975969+00:00 vm learn-spam[28678]: login=bob user=bob@example.com rc=0: error = "all learn conditions denied learning spam in default classifier";',
    );
    assert.deepEqual(line, {
      learnClass: "spam",
      login: "bob",
      user: "bob@example.com",
      exitCode: 0,
      output: {
        kind: "error",
        text: "all learn conditions denied learning spam in default classifier",
        refused: true,
      },
    });
  });
  test("odd-case login passed unchanged", () => {
    const line = body(
      "2026-12-06T10:34:48.923761+00:00 vm learn-spam[28730]: login=Carol@Example.com user=Carol@Example.com rc=0: Results for file: stdin (0 seconds)",
    );
    assert.equal(line?.login, "Carol@Example.com");
    assert.deepEqual(line?.output, { kind: "header", file: "stdin" });
  });
  test("a run: learned, refused, failed", () => {
    const line = (text: string) => parseLearnScriptLine("learn-ham", text);
    const ok = [
      line("Results for file: stdin (0.004 seconds)"),
      line("success = true;"),
      line("scan_time = 0.004000;"),
    ];
    assert.equal(summariseLearnRun(ok.filter((l) => l !== null)).outcome, "learned");
    assert.equal(summariseLearnRun(ok.filter((l) => l !== null)).learnClass, "ham");
    const refused = line(
      'error = "<abc@x> is skipped for bayes classifier: already in class ham; probability 99.10%";',
    );
    assert.equal(refused && summariseLearnRun([refused]).outcome, "refused");
    const failed = line('error = "HTTP error: 500, Internal Server Error";');
    assert.equal(failed && summariseLearnRun([failed]).outcome, "failed");
  });
  test("a script's other lines are not rspamc output", () => {
    assert.equal(parseLearnScriptLine("learn-spam", "starting for bob"), null);
  });
});
