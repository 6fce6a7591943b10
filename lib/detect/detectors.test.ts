import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { realLines } from "../../tests/helpers/fixtures.ts";
import { labLines, scenario } from "../../tests/helpers/scenario.ts";
import { decodeLine } from "../ingest/decode-line.ts";
import { YearResolver } from "../syslog/year-resolver.ts";
import { detectAuthOnPort25 } from "./auth-on-port-25.ts";
import { detectClassifiedUnderAlias } from "./classified-under-alias.ts";
import { detectDspamUserSprawl } from "./dspam-user-sprawl.ts";
import { detectDuplicateDelivery } from "./duplicate-delivery.ts";
import { detectDspamErrors, detectFilterProblemsInJourney } from "./filter-problem.ts";
import { detectJourney, detectTraining } from "./index.ts";
import { explain } from "./kinds.ts";
import { detectTrainingFailed } from "./training-failed.ts";
import { detectTrainingMisdirected } from "./training-misdirected.ts";
import { detectVerdictOnAuthenticated } from "./verdict-on-authenticated.ts";
import { detectVerdictOnLocal } from "./verdict-on-local.ts";
import { detectVerdictOnOutgoing } from "./verdict-on-outgoing.ts";

// Messages of the lab that took the path a correct configuration gives them: the negative cases.
const correct = scenario([
  ...labLines(
    "B-in-alice-ham-1",
    "B-in-sales-ham-1",
    "B-sub-bob-to-carol",
    "B-sub-carol-out",
    "B-in-alice-border-1",
  ),
]);

describe("a correct pipeline gives no findings", () => {
  test("inbound mail filtered once, a sales@ alias expanded before DSPAM, submission on 587, retraining by the owner", () => {
    assert.equal(correct.journeys.length, 5);
    const all = [
      ...correct.journeys.flatMap((j) => detectJourney(j, correct.context)),
      ...correct.trainings.flatMap((t) => detectTraining(t)),
    ];
    assert.deepEqual(all, []);
    assert.equal(correct.trainings.length, 2, "alice trained and untrained her message; both applied");
  });
});

describe("duplicate-delivery", () => {
  test("the pager behind bob@ gets two copies: bob@ expanded before and after DSPAM (lab B-in-bob-ham-1)", () => {
    const { journeys } = scenario(labLines("B-in-bob-ham-1"));
    const evidence = detectDuplicateDelivery(journeys[0] as never);
    assert.deepEqual(
      evidence.map((e) => [e.subject.cause, e.recipients, e.detail.duplicates]),
      [
        [
          "aliases-expanded-twice",
          ["bob.oncall@pager.example.net"],
          [
            {
              recipient: "bob.oncall@pager.example.net",
              copies: 2,
              queueIds: ["1D451166633", "53FB5166633"],
              via: ["bob.oncall@pager.example.net", "bob@example.com"],
            },
          ],
        ],
      ],
    );
  });
});

describe("classified-under-alias", () => {
  test("inbound copy judged under the external forward address (lab B-in-root-alert-1)", () => {
    const { journeys, context } = scenario(labLines("B-in-root-alert-1"));
    const evidence = detectClassifiedUnderAlias(journeys[0] as never, context);
    assert.deepEqual(
      evidence.map((e) => [e.subject.userIs, e.users]),
      [["external", ["bob.oncall@pager.example.net"]]],
    );
  });

  test("copies in Carol's and Dave's mailboxes judged under sales@ (no_address_mappings before DSPAM; lab lines with the hand-off to DSPAM addressed to sales@)", () => {
    const lines = labLines("B-in-sales-ham-1").map((l) =>
      l.includes("132EA166638: to=<") || l.includes("\t")
        ? l.replace(/carol@example\.com|dave@example\.com/, "sales@example.com")
        : l.replace(
            /(to=<(?:carol|dave)@example\.com>)(, relay=mail\.example\.com\[private)/,
            "$1, orig_to=<sales@example.com>$2",
          ),
    );
    const { journeys, context } = scenario(lines);
    const evidence = detectClassifiedUnderAlias(journeys[0] as never, context);
    assert.deepEqual(
      evidence.map((e) => [e.subject.userIs, e.users, e.recipients]),
      [["alias", ["sales@example.com"], ["carol@example.com", "dave@example.com"]]],
    );
  });
});

describe("retraining", () => {
  test("training-misdirected: IMAP login bob retrains DSPAM user bob, bob@example.com classified (lab)", () => {
    const { trainings } = scenario(labLines("B-in-bob-border-1"));
    const evidence = trainings.flatMap((t) => detectTrainingMisdirected(t));
    assert.deepEqual(
      evidence.map((e) => [
        e.subject.cause,
        e.detail.target,
        e.detail.classifiedBy,
        e.detail.login,
        e.detail.outcome,
      ]),
      [
        ["bare-login", "bob", "bob@example.com", "bob", "failed"],
        ["bare-login", "bob", "bob@example.com", "bob", "failed"],
      ],
    );
    assert.deepEqual(
      trainings.flatMap((t) => detectTrainingFailed(t)),
      [],
    );
  });

  test("training-failed: a retrain whose signature DSPAM no longer has, for the right user (real dspam lines, no antispam debug log)", () => {
    const lines = realLines("dspam")
      .map((r) => r.line)
      .filter((l) => l.startsWith("Nov 22 03:07:43 vm dspam[10272]"));
    const { trainings } = scenario(lines);
    const evidence = trainings.flatMap((t) => detectTrainingFailed(t));
    assert.deepEqual(
      evidence.map((e) => [e.subject.cause, e.users, e.detail.signature]),
      [["signature-missing", ["alice@example.com"], "0123456789abcdef0123"]],
    );
    assert.match(String(evidence[0]?.detail.dspamSaid), /Unable to find a valid signature/);
  });
});

describe("verdicts on mail that is not from strangers", () => {
  const auth25 = scenario(labLines("B-auth25-alice-out", "B-in-alice-ham-1"));
  const alice = auth25.journeys.find((j) => j.origin === "authenticated");

  test("verdict-on-authenticated and auth-on-port-25: alice logged in on port 25 (lab)", () => {
    assert.deepEqual(
      detectVerdictOnAuthenticated(alice as never).map((e) => [e.subject.service, e.users]),
      [["postfix", ["alice@example.com"]]],
    );
    assert.deepEqual(
      detectAuthOnPort25(alice as never, auth25.context).map((e) => e.subject.service),
      ["postfix"],
    );
  });

  test("submission on 587 is neither filtered nor port 25 (lab B-sub-carol-out)", () => {
    const { journeys, context } = scenario(labLines("B-sub-carol-out", "B-in-alice-ham-1"));
    const carol = journeys.find((j) => j.origin === "authenticated");
    assert.deepEqual(detectVerdictOnAuthenticated(carol as never), []);
    assert.deepEqual(detectAuthOnPort25(carol as never, context), []);
    assert.deepEqual(detectVerdictOnOutgoing(carol as never, context), []);
  });

  test("verdict-on-outgoing: alice's mail to a partner, judged by DSPAM (lab)", () => {
    assert.deepEqual(
      detectVerdictOnOutgoing(alice as never, auth25.context).map((e) => [
        e.subject.via,
        e.detail.from,
        e.recipients,
      ]),
      [["authenticated", "alice@example.com", ["martin.keller@partner.example.org"]]],
    );
  });

  test("verdict-on-local: cron mail via sendmail and a web form via SMTP from localhost (lab)", () => {
    const { journeys } = scenario(labLines("B-cron-root-1", "B-web-contact-form"));
    const evidence = journeys.flatMap((j) => detectVerdictOnLocal(j));
    assert.deepEqual(evidence.map((e) => [e.subject.via, e.detail.from]).sort(), [
      ["sendmail", "root@mail.example.com"],
      ["smtp-localhost", "www-data@mail.example.com"],
    ]);
  });

  test("a bounce made by Postfix itself and inbound mail are not local-origin findings (lab)", () => {
    const { journeys } = scenario(labLines("B-auth25-erin-bounce", "B-in-alice-ham-1"));
    assert.deepEqual(
      journeys.flatMap((j) => detectVerdictOnLocal(j)),
      [],
    );
  });
});

describe("every copy DSPAM judged counts: delivered, bounced, deferred, expired or still queued", () => {
  // erin's authenticated port-25 mail to a remote address: DSPAM judged the copy, the remote end refused it.
  const erin = labLines("B-auth25-erin-bounce");
  const BOUNCED = /0005C166647: to=<h\.mueller@rejecting\.example\.org>.*status=bounced.*$/;
  const deferred = (line: string) =>
    line.replace(
      BOUNCED,
      "0005C166647: to=<h.mueller@rejecting.example.org>, relay=127.0.0.1[127.0.0.1]:2526, delay=0.13, delays=0.13/0/0/0, dsn=4.7.1, status=deferred (host 127.0.0.1[127.0.0.1] said: 450 4.7.1 Greylisted, please try again later (in reply to RCPT TO command))",
    );
  // The copy stays queued: no bounce, no removal.
  const stillQueued = erin.filter((l) => !/0005C166647: (removed|sender non-delivery)|164F0166649/.test(l));
  const fates = (lines: string[]) => {
    const { journeys, context } = scenario(lines);
    const outgoing = journeys.flatMap((j) => detectVerdictOnOutgoing(j, context));
    return {
      authenticated: journeys.flatMap((j) => detectVerdictOnAuthenticated(j)).map((e) => e.detail.fates),
      local: journeys.flatMap((j) => detectVerdictOnLocal(j)).map((e) => e.detail.fates),
      outgoing: outgoing.map((e) => [e.recipients, e.detail.fates]),
    };
  };

  test("authenticated, outgoing, bounced (lab B-auth25-erin-bounce)", () => {
    assert.deepEqual(fates(erin), {
      authenticated: [["bounced"]],
      local: [],
      outgoing: [[["h.mueller@rejecting.example.org"], ["bounced"]]],
    });
  });

  test("authenticated, outgoing, deferred and still queued (the same lines, the remote end greylisting)", () => {
    assert.deepEqual(fates(stillQueued.map(deferred)), {
      authenticated: [["deferred"]],
      local: [],
      outgoing: [[["h.mueller@rejecting.example.org"], ["deferred"]]],
    });
  });

  test("expired: deferred until Postfix returned it to the sender", () => {
    const expired = [
      ...stillQueued.map(deferred),
      "Nov 27 03:27:16 mail postfix/qmgr[29207]: 0005C166647: from=<erin@example.com>, status=expired, returned to sender",
    ];
    assert.deepEqual(fates(expired).authenticated, [["expired"]]);
  });

  test("queued without any delivery attempt: DSPAM's record alone is the evidence", () => {
    const noAttempt = stillQueued.filter((l) => !BOUNCED.test(l));
    assert.deepEqual(fates(noAttempt), {
      authenticated: [["queued"]],
      local: [],
      outgoing: [[["h.mueller@rejecting.example.org"], ["queued"]]],
    });
  });

  test("local, outgoing, bounced and deferred (lab B-web-order-bounce, B-web-order-defer)", () => {
    assert.deepEqual(fates(labLines("B-web-order-bounce")), {
      authenticated: [],
      local: [["bounced"]],
      outgoing: [[["p.lindgren@rejecting.example.org"], ["bounced"]]],
    });
    assert.deepEqual(fates(labLines("B-web-order-defer")), {
      authenticated: [],
      local: [["deferred"]],
      outgoing: [[["accounts@greylist.example.net"], ["deferred"]]],
    });
  });
});

describe("dspam-user-sprawl", () => {
  const context = {
    isLocalRecipient: (a: string) => a.endsWith("@example.com") || !a.includes("@"),
    mxServices: new Set(["postfix"]),
    filteredServices: new Set(["postfix"]),
    mailboxes: new Set(["alice@example.com", "bob@example.com"]),
  };
  const seen = (user: string) => ({
    user,
    firstSeen: 1,
    lastSeen: 2,
    classified: 1,
    retrainTargets: 0,
    lineIds: [1],
  });

  test("bare logins, external addresses, aliases or stale accounts; not the mailboxes", () => {
    const evidence = detectDspamUserSprawl(
      [
        seen("alice@example.com"),
        seen("bob"),
        seen("ops@partner.example.org"),
        seen("sales@example.com"),
        seen("BOB@example.com"),
      ],
      context,
    );
    assert.deepEqual(
      evidence.map((e) => [e.users[0], e.subject.isA]),
      [
        ["bob", "bare-login"],
        ["ops@partner.example.org", "external"],
        ["sales@example.com", "alias-or-stale"],
      ],
    );
  });
});

describe("dspam-user-sprawl of Rspamd: Bayes users learns went into that are nobody's mailbox", () => {
  const context = {
    isLocalRecipient: (a: string) => a.endsWith("@example.com") || !a.includes("@"),
    mxServices: new Set(["postfix"]),
    filteredServices: new Set(["postfix"]),
    mailboxes: new Set(["alice@example.com", "bob@example.com"]),
  };
  const learned = (user: string) => ({
    user,
    firstSeen: 1,
    lastSeen: 2,
    classified: 0,
    retrainTargets: 1,
    lineIds: [1],
    filter: "rspamd" as const,
  });

  test("a bare login's Bayes (rspamc -d bob) is Rspamd's finding, in Rspamd's words; a mailbox's is none", () => {
    const evidence = detectDspamUserSprawl([learned("bob"), learned("alice@example.com")], context);
    assert.deepEqual(
      evidence.map((e) => [e.users[0], e.subject]),
      [["bob", { isA: "bare-login", filter: "rspamd" }]],
    );
    const words = explain({
      kind: "dspam-user-sprawl",
      subject: evidence[0]?.subject ?? {},
      severity: "low",
      count: 1,
      users: ["bob"],
      recipients: [],
      details: [],
    });
    assert.match(words.cause, /rspamc -d/);
    assert.doesNotMatch(`${words.summary} ${words.cause} ${words.fix}`, /DSPAM|dictionar/);
  });
});

describe("filter-problem", () => {
  test("DSPAM failing on inbound mail and its delivery agent failing (real dspam lines)", () => {
    const lines = realLines("dspam")
      .map((r) => r.line)
      .filter((l) =>
        /^(May|Nov) .*(dspam\[13745\]: (Unable to attach|process_message returned error -2)|dspam\[10710\]: Delivery agent)/.test(
          l,
        ),
      );
    const years = new YearResolver(new Date(2026, 11, 31), 2026);
    const stored = lines.map(
      (text, index) =>
        ({
          id: index + 1,
          sourceId: 1,
          decoded: decodeLine(text, "syslog", years, undefined),
          raw: { text },
        }) as never,
    );
    const evidence = detectDspamErrors(stored);
    assert.deepEqual(evidence.map((e) => e.subject.problem).sort(), [
      "dspam-delivery-agent",
      "dspam-error",
      "dspam-error",
    ]);
  });

  test("hand-offs to DSPAM deferred: the filter is unavailable (lab lines, DSPAM's reply replaced by a refused connection)", () => {
    const lines = labLines("B-in-alice-ham-1").map((l) =>
      l.replace(
        /dsn=2\.6\.0, status=sent \(250 2\.6\.0 <alice@example\.com> Message accepted for delivery\)/,
        "dsn=4.4.1, status=deferred (connect to mail.example.com[/var/run/dspam/dspam.sock]: Connection refused)",
      ),
    );
    const { journeys, context } = scenario(lines);
    const evidence = journeys.flatMap((j) => detectFilterProblemsInJourney(j, context));
    assert.deepEqual(
      evidence.map((e) => [e.subject.problem, e.detail.statuses]),
      [["filter-unavailable", ["deferred"]]],
    );
  });
});
