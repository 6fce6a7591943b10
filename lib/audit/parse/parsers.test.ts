import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseDovecotConf } from "./dovecot-conf.ts";
import { dspamPreference, dspamValue, parseDspamConf } from "./dspam-conf.ts";
import { parseMainCf } from "./main-cf.ts";
import { mapTargets, parseMapFile } from "./map-file.ts";
import { parseMasterCf } from "./master-cf.ts";
import { parsePostconfP } from "./postconf-p.ts";
import { parseSieve } from "./sieve.ts";

describe("main.cf and postconf -n", () => {
  const cases: {
    name: string;
    text: string;
    want: Record<string, [string, number, number]>;
    problems?: number[];
  }[] = [
    {
      name: "name = value, comments and blank lines skipped (lab main.cf)",
      text: "# comment\ncontent_filter = lmtp:unix:/var/run/dspam/dspam.sock\n\nbiff = no\n",
      want: { content_filter: ["lmtp:unix:/var/run/dspam/dspam.sock", 2, 2], biff: ["no", 4, 4] },
    },
    {
      name: "a line starting with whitespace continues the value (postconf(5))",
      text: "smtpd_relay_restrictions = permit_mynetworks,\n    permit_sasl_authenticated,\n  defer_unauth_destination\nbiff = no",
      want: {
        smtpd_relay_restrictions: [
          "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination",
          1,
          3,
        ],
        biff: ["no", 4, 4],
      },
    },
    {
      name: "no spaces around = (postconf -e style); empty value",
      text: "content_filter=\nmydomain=example.com",
      want: { content_filter: ["", 1, 1], mydomain: ["example.com", 2, 2] },
    },
    { name: "the last assignment wins", text: "biff = yes\nbiff = no", want: { biff: ["no", 2, 2] } },
    {
      name: "a line without = is a problem, not a crash",
      text: "biff = no\nthis is not a setting\n",
      want: { biff: ["no", 1, 1] },
      problems: [2],
    },
    { name: "binary garbage", text: "\u0000\u0001\u0002 ÿþ", want: {}, problems: [1] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const parsed = parseMainCf(c.text, "main.cf");
      const got = Object.fromEntries(
        [...parsed.settings].map(([k, s]) => [k, [s.value, s.loc.line, s.loc.endLine]]),
      );
      assert.deepEqual(got, c.want);
      assert.deepEqual(
        parsed.problems.map((p) => p.line),
        c.problems ?? [],
      );
    });
  }
});

describe("master.cf and postconf -M", () => {
  const LAB = `smtp      inet  n       -       n       -       -       smtpd
# comment between services
submission inet n       -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o { smtpd_client_restrictions = permit_sasl_authenticated, reject }
  -o content_filter=
127.0.0.1:10026 inet n  -       n       -       -       smtpd -o content_filter= -ooverride=x
dspam     unix  -       n       n       -       10      pipe
  flags=Ru user=dspam argv=/usr/bin/dspam --deliver=innocent --user \${recipient} -i -f $sender -- $recipient`;
  const parsed = parseMasterCf(LAB, "master.cf");

  test("services with their fields, continuation lines joined", () => {
    assert.deepEqual(
      parsed.services.map((s) => [s.name, s.type, s.command, s.loc.line, s.loc.endLine]),
      [
        ["smtp", "inet", "smtpd", 1, 1],
        ["submission", "inet", "smtpd", 3, 6],
        ["127.0.0.1:10026", "inet", "smtpd", 7, 7],
        ["dspam", "unix", "pipe", 8, 9],
      ],
    );
    assert.deepEqual(parsed.problems, []);
  });

  test("-o short form, long form { name = value } with spaces, and -oname=value", () => {
    const submission = parsed.services[1];
    assert.deepEqual(
      submission?.options.map((o) => [o.name, o.value, o.line]),
      [
        ["syslog_name", "postfix/submission", 4],
        ["smtpd_client_restrictions", "permit_sasl_authenticated, reject", 5],
        ["content_filter", "", 6],
      ],
    );
    const reinjection = parsed.services[2];
    assert.deepEqual(
      reinjection?.options.map((o) => [o.name, o.value]),
      [
        ["content_filter", ""],
        ["override", "x"],
      ],
    );
  });

  test("option columns cover exactly the option text (edits replace it in place)", () => {
    const option = parsed.services[2]?.options[0];
    assert.ok(option);
    assert.equal(LAB.split("\n")[6]?.slice(option.startCol, option.endCol), "-o content_filter=");
    const long = parsed.services[1]?.options[1];
    assert.ok(long);
    assert.equal(
      LAB.split("\n")[4]?.slice(long.startCol, long.endCol),
      "-o { smtpd_client_restrictions = permit_sasl_authenticated, reject }",
    );
  });

  test("pipe arguments are kept (DSPAM's --user)", () => {
    assert.ok(parsed.services[3]?.args.includes("$" + "{recipient}"));
  });

  const bad: [string, string, RegExp][] = [
    ["too few fields", "smtp inet n - n", /8 fields/],
    ["-o without a value", "smtp inet n - n - - smtpd -o", /-o without a value/],
    ["-o without =", "smtp inet n - n - - smtpd -o content_filter", /not name=value/],
    ["an unclosed {", "smtp inet n - n - - smtpd -o { a = b", /never closed/],
  ];
  for (const [name, text, reason] of bad) {
    test(`problem, not a crash: ${name}`, () => {
      const got = parseMasterCf(text, "master.cf");
      assert.equal(got.problems.length, 1);
      assert.match(got.problems[0]?.reason ?? "", reason);
    });
  }

  test("the last definition of a service name and type wins (master(5))", () => {
    const got = parseMasterCf(
      "smtp inet n - n - - smtpd\nsmtp inet n - n - - smtpd -o content_filter=x",
      "m",
    );
    assert.deepEqual(
      got.services.map((s) => s.options.map((o) => o.value)),
      [["x"]],
    );
  });
});

describe("postconf -P", () => {
  test("service/type/name = value, empty values, addresses with colons", () => {
    const got = parsePostconfP(
      "submission/inet/content_filter =\n127.0.0.1:10026/inet/mynetworks = 127.0.0.0/8\njunk line\n",
      "P",
    );
    assert.deepEqual(
      got.overrides.map((o) => [o.service, o.type, o.name, o.value, o.loc.line]),
      [
        ["submission", "inet", "content_filter", "", 1],
        ["127.0.0.1:10026", "inet", "mynetworks", "127.0.0.0/8", 2],
      ],
    );
    assert.deepEqual(
      got.problems.map((p) => p.line),
      [3],
    );
  });
});

describe("lookup tables", () => {
  test("virtual(5): key and comma/space separated targets, continuation lines", () => {
    const got = parseMapFile(
      "root  a@example.com, b@example.com\nsales@example.com c@example.com,\n   d@example.com\n",
      "virtual",
      "table",
    );
    assert.deepEqual(
      got.entries.map((e) => [e.key, mapTargets(e.value), e.loc.line, e.loc.endLine]),
      [
        ["root", ["a@example.com", "b@example.com"], 1, 1],
        ["sales@example.com", ["c@example.com", "d@example.com"], 2, 3],
      ],
    );
  });
  test("aliases(5): name: value", () => {
    const got = parseMapFile("postmaster:    root\nMAILER-DAEMON: postmaster\n", "aliases", "aliases");
    assert.deepEqual(
      got.entries.map((e) => [e.key, e.value]),
      [
        ["postmaster", "root"],
        ["MAILER-DAEMON", "postmaster"],
      ],
    );
  });
  test("pcre: /pattern/ action, if/endif skipped", () => {
    const got = parseMapFile(
      "if /./\n/^(.*)$/  FILTER dspam:unix:/var/run/dspam.sock\nendif\n",
      "f",
      "regexp",
    );
    assert.deepEqual(
      got.entries.map((e) => [e.key, e.value]),
      [["/^(.*)$/", "FILTER dspam:unix:/var/run/dspam.sock"]],
    );
  });
  test("a key without a value is a problem", () => {
    assert.equal(parseMapFile("lonely\n", "t", "table").problems.length, 1);
  });
});

describe("dovecot.conf, its includes, and doveconf -n", () => {
  const files: Record<string, string> = {
    "/etc/dovecot/conf.d/10-auth.conf": "auth_default_realm = example.com\n",
    "/etc/dovecot/conf.d/90-plugin.conf":
      "plugin {\n  antispam_dspam_args = --user;%u # trailing comment\n}\n",
  };
  const resolve = (pattern: string) => {
    const regex = new RegExp(`^/etc/dovecot/${pattern.replace(".", "\\.").replace("*", "[^/]*")}$`);
    const found = Object.entries(files).filter(([p]) => regex.test(p));
    return found.length > 0 ? found.map(([path, text]) => ({ path, text })) : null;
  };
  test("!include and !include_try, sections, $variables, quotes and comments", () => {
    const got = parseDovecotConf(
      'mail_plugins = quota\n!include conf.d/*.conf\n!include_try local.conf\nprotocol imap {\n  mail_plugins = $mail_plugins antispam\n}\nnamespace inbox {\n  mailbox "Sent Items" {\n    special_use = \\Sent\n  }\n}\nhostname = "mail example"\n',
      "/etc/dovecot/dovecot.conf",
      resolve,
    );
    assert.deepEqual(got.problems, []);
    assert.deepEqual(
      got.settings.map((s) => [s.scope.join(" > "), s.key, s.value, s.loc.file.split("/").pop(), s.loc.line]),
      [
        ["", "mail_plugins", "quota", "dovecot.conf", 1],
        ["", "auth_default_realm", "example.com", "10-auth.conf", 1],
        ["plugin", "antispam_dspam_args", "--user;%u", "90-plugin.conf", 2],
        ["protocol imap", "mail_plugins", "quota antispam", "dovecot.conf", 5],
        ["namespace inbox > mailbox Sent Items", "special_use", "\\Sent", "dovecot.conf", 9],
        ["", "hostname", "mail example", "dovecot.conf", 12],
      ],
    );
  });
  test("a missing !include, an unbalanced } and an unclosed section are problems", () => {
    const got = parseDovecotConf("!include missing.conf\n}\nplugin {\n  a = b\n", "d.conf", () => null);
    assert.deepEqual(
      got.problems.map((p) => p.reason.split(":")[0]),
      ["!include missing.conf", 'a "}" closes nothing', 'section "plugin" is never closed'],
    );
  });
  test("doveconf -n output (header comments, quoted values)", () => {
    const got = parseDovecotConf(
      '# 2.3.19.1 (9b53102964): /etc/dovecot/dovecot.conf\nprotocol lmtp {\n  mail_plugins = " sieve"\n}\n',
      "doveconf -n",
      () => null,
    );
    assert.deepEqual(
      got.settings.map((s) => [s.key, s.value]),
      [["mail_plugins", " sieve"]],
    );
  });
});

describe("dspam.conf", () => {
  test("Key value, quoted values, trailing comments, Preference lines", () => {
    const got = parseDspamConf(
      'DeliveryHost\t\t127.0.0.1\nPreference "signatureLocation=headers"\t# { message | headers }\nServerParameters "--deliver=innocent -d %u"\n',
      "dspam.conf",
    );
    assert.equal(dspamValue(got, "deliveryhost")?.value, "127.0.0.1");
    assert.equal(dspamPreference(got, "signatureLocation")?.value, "signatureLocation=headers");
    assert.equal(dspamValue(got, "ServerParameters")?.value, "--deliver=innocent -d %u");
  });
});

describe("sieve", () => {
  test("fileinto after a spam header test is the spam folder; others are not", () => {
    const got = parseSieve(
      'require ["fileinto"];\nif header :contains "X-DSPAM-Result" "Spam" {\n  fileinto :create "Junk";\n  stop;\n}\nif header :is "List-Id" "x" { fileinto "Lists"; }\n',
      "s.sieve",
    );
    assert.deepEqual(
      got.spamRules.map((r) => [r.header, r.mailbox, r.loc.line]),
      [["X-DSPAM-Result", "Junk", 3]],
    );
    assert.deepEqual(
      got.fileintos.map((f) => f.mailbox),
      ["Junk", "Lists"],
    );
  });
});
