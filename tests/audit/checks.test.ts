import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runAudit } from "../../lib/audit/run-audit.ts";
import type { CheckId, ConfigFile } from "../../lib/audit/types.ts";
import {
  applyFix,
  checksOf,
  configDir,
  essence,
  LAB_CHECKS,
  labDumps,
  labFiles,
  variant,
} from "./configs.ts";

const MAIN = "postfix/main.cf";
const MASTER = "postfix/master.cf";
const PLUGIN = "conf.d/90-plugin.conf";
const DSPAM = "dspam/dspam.conf";
const DSPAM_LMTP = "lmtp:unix:/var/run/dspam/dspam.sock";
const fixed = () => configDir("story-fixed");
const mapFile = (path: string, text: string): ConfigFile => ({ path, kind: "postfix-map", text });

/** Each configuration and the checks it must fail, sorted; every other check must pass. */
const CASES: { name: string; files: () => ConfigFile[]; want: CheckId[] }[] = [
  {
    name: "the lab server (files): every pitfall of the origin story",
    files: labFiles,
    want: LAB_CHECKS,
  },
  {
    name: "the origin story's first fix: no_address_mappings before DSPAM",
    files: () => configDir("story-expansion-before-filter"),
    want: [
      "alias-expansion-after-filter",
      "auth-on-port-25",
      "filter-on-authenticated",
      "filter-on-local",
      "training-user-mismatch",
    ],
  },
  {
    name: "the origin story fixed: filter only on the external-IP smtpd, %n@domain, conf.d includes",
    files: fixed,
    want: [],
  },
  {
    name: "content_filter in main.cf: pickup, the loopback smtpd and submission without -o content_filter= are filtered",
    files: () => variant(fixed(), [[MAIN, "", `content_filter = ${DSPAM_LMTP}\n`]]),
    want: ["filter-on-authenticated", "filter-on-local", "filter-on-local"],
  },
  {
    name: "the reinjection smtpd without -o content_filter= while main.cf sets one: mail loops",
    files: () =>
      variant(fixed(), [
        [MAIN, "", `content_filter = ${DSPAM_LMTP}\n`],
        [
          MASTER,
          "127.0.0.1:10026 inet n  -       n       -       -       smtpd\n  -o content_filter=\n",
          "127.0.0.1:10026 inet n - n - - smtpd\n",
        ],
        [
          MASTER,
          "submission inet n       -       y       -       -       smtpd\n",
          "submission inet n - y - - smtpd\n  -o content_filter=\n",
        ],
        [
          MASTER,
          "127.0.0.1:smtp inet n   -       y       -       -       smtpd\n",
          "127.0.0.1:smtp inet n - y - - smtpd -o content_filter=\n",
        ],
        [
          MASTER,
          "pickup    unix  n       -       y       60      1       pickup\n",
          "pickup unix n - y 60 1 pickup\n  -o content_filter=\n",
        ],
      ]),
    want: ["filter-loop"],
  },
  {
    name: "DSPAM delivers to a port no smtpd listens on",
    files: () => variant(fixed(), [[DSPAM, "DeliveryPort        10026", "DeliveryPort        10025"]]),
    want: ["filter-return-missing"],
  },
  {
    name: "no service hands mail to DSPAM",
    files: () => variant(fixed(), [[MASTER, `  -o content_filter=${DSPAM_LMTP}\n`, ""]]),
    want: ["filter-bypass"],
  },
  {
    name: "DSPAM reinjects through sendmail (pickup): expansion twice, fixed by a dedicated reinjection smtpd",
    files: () =>
      variant(fixed(), [
        [
          DSPAM,
          "DeliveryHost        127.0.0.1\nDeliveryPort        10026\nDeliveryIdent       localhost\nDeliveryProto       SMTP\n",
          "",
        ],
        [
          DSPAM,
          'TrustedDeliveryAgent "/usr/bin/procmail"',
          'TrustedDeliveryAgent "/usr/sbin/sendmail -G -i"',
        ],
        [
          MASTER,
          "no_unknown_recipient_checks,no_header_body_checks,no_milters,no_address_mappings",
          "no_unknown_recipient_checks,no_header_body_checks,no_milters",
        ],
      ]),
    want: ["alias-expansion-twice"],
  },
  {
    name: "FILTER_README's main.cf recipe (no_address_mappings in main.cf): judged under aliases, unfiltered services never expand",
    files: () =>
      variant(fixed(), [
        [MAIN, "", "receive_override_options = no_address_mappings\n"],
        [
          MASTER,
          "no_unknown_recipient_checks,no_header_body_checks,no_milters,no_address_mappings",
          "no_unknown_recipient_checks,no_header_body_checks,no_milters",
        ],
      ]),
    want: [
      "alias-expansion-after-filter",
      "alias-expansion-never",
      "alias-expansion-never",
      "alias-expansion-never",
    ],
  },
  {
    name: "FILTER by an access map in smtpd_sender_restrictions after permit_sasl_authenticated, permit_mynetworks: only strangers are filtered",
    files: () =>
      variant(
        fixed(),
        [
          [MASTER, `  -o content_filter=${DSPAM_LMTP}\n`, ""],
          [
            MAIN,
            "",
            "smtpd_sender_restrictions = permit_sasl_authenticated, permit_mynetworks, check_client_access pcre:/etc/postfix/dspam_filter_access\n",
          ],
        ],
        [mapFile("/srv/etc/postfix/dspam_filter_access", `/./   FILTER ${DSPAM_LMTP}\n`)],
      ),
    want: [],
  },
  {
    name: "FILTER by an access map reached before permit_sasl_authenticated and permit_mynetworks",
    files: () =>
      variant(
        fixed(),
        [
          [MASTER, `  -o content_filter=${DSPAM_LMTP}\n`, ""],
          [
            MAIN,
            "",
            "smtpd_sender_restrictions = check_client_access pcre:/etc/postfix/dspam_filter_access, permit_sasl_authenticated, permit_mynetworks\n",
          ],
        ],
        [mapFile("/srv/etc/postfix/dspam_filter_access", `/./   FILTER ${DSPAM_LMTP}\n`)],
      ),
    want: ["filter-on-authenticated", "filter-on-local"],
  },
  {
    name: "%u with auth_default_realm: logins always have the domain",
    files: () =>
      variant(fixed(), [
        [PLUGIN, "--user;%n@example.com", "--user;%u"],
        ["conf.d/10-auth.conf", "", "auth_default_realm = example.com\n"],
      ]),
    want: [],
  },
  {
    name: "auth_username_format = %Ln drops the domain: %u is a bare name",
    files: () =>
      variant(fixed(), [
        [PLUGIN, "--user;%n@example.com", "--user;%u"],
        ["conf.d/10-auth.conf", "", "auth_username_format = %Ln\n"],
      ]),
    want: ["training-user-mismatch"],
  },
  {
    name: "two mailbox domains and %u: the fix is auth_default_realm",
    files: () =>
      variant(fixed(), [
        [PLUGIN, "--user;%n@example.com", "--user;%u"],
        [MAIN, "virtual_mailbox_domains = example.com", "virtual_mailbox_domains = example.com example.org"],
      ]),
    want: ["training-user-mismatch"],
  },
  {
    name: "StripRcptDomain on: DSPAM classifies under bare names, %n@domain retrains the wrong user",
    files: () => variant(fixed(), [[DSPAM, "StripRcptDomain off", "StripRcptDomain on"]]),
    want: ["training-user-mismatch"],
  },
  {
    name: "the sieve script files spam into a folder antispam_spam does not list",
    files: () => variant(fixed(), [[PLUGIN, "antispam_spam = Junk", "antispam_spam = Spam"]]),
    want: ["spam-folder-mismatch"],
  },
  {
    name: "a broken master.cf line is reported with its line number; the rest is still audited",
    files: () =>
      variant(fixed(), [
        [MASTER, "", "broken inet n\n"],
        [MAIN, "", `content_filter = ${DSPAM_LMTP}\n`],
      ]),
    want: ["filter-on-authenticated", "filter-on-local", "filter-on-local", "unreadable-config"],
  },
];

describe("checks on real and written configurations", () => {
  for (const c of CASES) {
    test(c.name, () => {
      assert.deepEqual(checksOf(c.files()).sort(), [...c.want].sort());
    });
  }
});

describe("each fix, applied to the configuration, makes its check pass", () => {
  const withDumps = [
    { name: "the lab server (postconf/doveconf dumps)", files: labDumps, want: [] as CheckId[] },
    ...CASES,
  ];
  for (const c of withDumps) {
    const files = c.files();
    const before = runAudit(files).results;
    for (const [index, r] of before.entries()) {
      if (r.check === "unreadable-config") continue;
      test(`${c.name}: ${r.check} ${r.service ?? r.setting ?? ""} (${index})`, () => {
        assert.ok(r.edits.length > 0, `no edits for ${r.check}: ${r.fix}`);
        const after = runAudit(applyFix(files, r.edits)).results;
        const count = (list: typeof before) => list.filter((x) => x.check === r.check).length;
        assert.ok(count(after) < count(before), `still failing after the fix:\n${r.fix}`);
        assert.ok(!after.some((x) => essence(x) === essence(r)), `still failing after the fix:\n${r.fix}`);
        const newChecks = after.map((x) => x.check).filter((id) => !before.some((b) => b.check === id));
        assert.deepEqual(newChecks, [], `the fix introduced new problems:\n${r.fix}`);
      });
    }
  }
});

describe("files and dumps of the same server", () => {
  test("main.cf/master.cf/dovecot.conf and postconf -n/-M/-P + doveconf -n give the same audit", () => {
    const fromFiles = runAudit(labFiles()).results.map(essence).sort();
    const fromDumps = runAudit(labDumps()).results.map(essence).sort();
    assert.deepEqual(fromDumps, fromFiles);
    assert.ok(fromFiles.length >= 7);
  });

  test("results point at the line of the file given, 1-based", () => {
    const twice = runAudit(labFiles()).results.find((r) => r.check === "alias-expansion-twice");
    assert.ok(twice?.file?.endsWith("etc/postfix/master.cf"));
    assert.equal(twice?.line, 152);
    assert.equal(twice?.value, "no_unknown_recipient_checks,no_header_body_checks");
    assert.equal(
      twice?.fix,
      "  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_address_mappings",
    );
    const dump = runAudit(labDumps()).results.find((r) => r.check === "alias-expansion-twice");
    assert.ok(dump?.file?.endsWith("postconf-P.txt"));
    assert.equal(dump?.line, 13);
    assert.match(
      dump?.fix ?? "",
      /^postconf -P '127\.0\.0\.1:10026\/inet\/receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_address_mappings'$/,
    );
  });

  test("when both are given, the files are used and the dumps set aside", () => {
    const audit = runAudit([...labFiles(), ...labDumps()]);
    assert.deepEqual(audit.model.setAside.map((s) => s.file.split("/").pop()).sort(), [
      "doveconf-n.txt",
      "postconf-M.txt",
      "postconf-P.txt",
      "postconf-n.txt",
    ]);
    assert.deepEqual(audit.results.map(essence).sort(), runAudit(labFiles()).results.map(essence).sort());
  });
});
