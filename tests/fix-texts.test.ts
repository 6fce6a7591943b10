// Every fix a finding gives names documented parameters, and only those: a text that would break a
// working server (a second `-o receive_override_options`, a per-recipient content filter that
// Postfix does not have) fails here. The parameters are those of postconf(5), master(5) and
// FILTER_README (Postfix), Dovecot's auth settings and the dovecot-antispam plugin, and dspam.conf.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FindingFacts } from "../lib/detect/definition.ts";
import { explain } from "../lib/detect/kinds.ts";
import type { FindingKind } from "../lib/detect/types.ts";

/** Parameter names each program documents, that a fix may name. */
const DOCUMENTED = new Set([
  // Postfix postconf(5): main.cf parameters, also master.cf `-o name=value` overrides (master(5)).
  "receive_override_options",
  "content_filter",
  "smtpd_sasl_auth_enable",
  "virtual_transport",
  "mailbox_transport",
  "syslog_name",
  // receive_override_options values (postconf(5)).
  "no_address_mappings",
  "no_unknown_recipient_checks",
  "no_header_body_checks",
  // Dovecot auth settings (auth_default_domain is its name from 2.4 on) and dovecot-antispam.
  "auth_default_realm",
  "auth_default_domain",
  "mail_location",
  "antispam_dspam_args",
  "antispam_dspam_binary",
  "antispam_signature",
  // dspam.conf.
  "DeliveryHost",
  "DeliveryPort",
  "DeliveryProto",
  "PurgeSignatures",
  "ServerDomainSocketPath",
]);

const facts = (kind: FindingKind, subject: Record<string, string>): FindingFacts => ({
  kind,
  subject,
  severity: "medium",
  count: 2,
  users: ["bob", "bob@example.com"],
  recipients: ["bob.oncall@pager.example.net"],
  details: [],
});

/** The parameter names a text mentions: documented names, and anything written like one (a_b_c). */
function parameters(text: string): string[] {
  const words =
    text.match(/[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|\b(?:Delivery|Purge|Server)[A-Z]\w+/g) ?? [];
  return [...new Set(words.filter((w) => !/^(?:dspam_stats|dspam_clean)$/.test(w)))].sort();
}

// kind, subject (the cause), the parameters its fix must name (no more, no fewer), and what else it must say.
const FIXES: [FindingKind, Record<string, string>, string[], RegExp?][] = [
  [
    "duplicate-delivery",
    { cause: "aliases-expanded-twice" },
    [
      "DeliveryHost",
      "DeliveryPort",
      "no_address_mappings",
      "no_header_body_checks",
      "no_unknown_recipient_checks",
      "receive_override_options",
    ],
  ],
  [
    "classified-under-alias",
    { userIs: "external" },
    ["DeliveryHost", "DeliveryProto", "content_filter", "mailbox_transport", "virtual_transport"],
  ],
  [
    "classified-under-alias",
    { userIs: "alias" },
    [
      "DeliveryHost",
      "DeliveryPort",
      "no_address_mappings",
      "no_header_body_checks",
      "no_unknown_recipient_checks",
      "receive_override_options",
    ],
  ],
  [
    "training-misdirected",
    { cause: "bare-login" },
    ["antispam_dspam_args", "auth_default_domain", "auth_default_realm", "mail_location"],
  ],
  [
    "training-misdirected",
    { cause: "other-user" },
    [
      "DeliveryHost",
      "DeliveryPort",
      "no_address_mappings",
      "no_header_body_checks",
      "no_unknown_recipient_checks",
      "receive_override_options",
    ],
  ],
  ["training-failed", { cause: "signature-missing" }, ["PurgeSignatures", "antispam_signature"]],
  ["training-failed", { cause: "dspam-failed" }, ["antispam_dspam_binary"]],
  ["verdict-on-authenticated", { service: "postfix" }, ["content_filter", "smtpd_sasl_auth_enable"]],
  ["verdict-on-authenticated", { service: "postfix/submission" }, ["content_filter", "syslog_name"]],
  ["auth-on-port-25", { service: "postfix" }, ["content_filter", "smtpd_sasl_auth_enable"]],
  ["verdict-on-outgoing", { via: "authenticated" }, ["content_filter", "smtpd_sasl_auth_enable"]],
  ["verdict-on-outgoing", { via: "smtp-localhost" }, ["content_filter"]],
  ["verdict-on-outgoing", { via: "sendmail" }, ["content_filter"], /the pickup service.*main\.cf/],
  ["verdict-on-local", { via: "smtp-localhost" }, ["content_filter"]],
  ["verdict-on-local", { via: "sendmail" }, ["content_filter"], /the pickup service.*main\.cf/],
  ["dspam-user-sprawl", { isA: "bare-login" }, []],
  ["dspam-user-sprawl", { isA: "external" }, []],
  ["filter-problem", { problem: "filter-unavailable", relay: "x" }, ["ServerDomainSocketPath"]],
  ["filter-problem", { problem: "dspam-delivery-agent" }, ["DeliveryHost", "DeliveryPort"]],
];

describe("fix texts name documented parameters", () => {
  for (const [kind, subject, want, says] of FIXES) {
    test(`${kind} ${JSON.stringify(subject)}: ${want.join(", ") || "no parameter"}`, () => {
      const { fix } = explain(facts(kind, subject));
      assert.deepEqual(parameters(fix), want);
      for (const name of want) assert.ok(DOCUMENTED.has(name), `${name} is documented`);
      if (says) assert.match(fix, says);
    });
  }

  test("no fix adds a second receive_override_options that would replace the reinjection service's list", () => {
    for (const [kind, subject] of FIXES) {
      const { fix } = explain(facts(kind, subject));
      for (const setting of fix.matchAll(/receive_override_options=([\w,]+)/g))
        assert.match(
          setting[1] ?? "",
          /no_unknown_recipient_checks,no_header_body_checks/,
          `${kind}: ${fix}`,
        );
    }
  });

  test("no fix promises a per-recipient content filter: content_filter applies to the whole message", () => {
    for (const [kind, subject] of FIXES) {
      const { fix } = explain(facts(kind, subject));
      assert.doesNotMatch(fix, /filter only local recipients|keep .* out of the filter/i, kind);
    }
    assert.match(
      explain(facts("classified-under-alias", { userIs: "external" })).fix,
      /no per-recipient switch/,
    );
  });
});
