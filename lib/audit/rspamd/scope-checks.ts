import path from "node:path";
import type { FindingKind, Severity } from "../../detect/types.ts";
import type { AuditModel } from "../assemble.ts";
import { list, serviceLabel, settingWhere } from "../checks/shared.ts";
import { setMainSetting } from "../edits.ts";
import type { Listener } from "../model/mail-path.ts";
import { effective, listItems } from "../model/postfix.ts";
import { type AuditResult, type Check, type CheckId, result } from "../types.ts";
import type { RspamdSetting } from "./model.ts";
import {
  addSettingsRule,
  hasRspamd,
  miltersOf,
  scannedListeners,
  TRUSTED_APPLY,
  type WithRspamd,
} from "./shared.ts";

/** Where each service's milters come from, in words (`smtpd_milters = … in main.cf`). */
function origins(model: AuditModel, listeners: Listener[]): string {
  const each = listeners.map((l) => {
    const m = miltersOf(model, l);
    return m.from === "override"
      ? `-o ${m.name}=${m.raw} on ${l.service.name}`
      : `${m.name} = ${m.raw} in main.cf`;
  });
  return list([...new Set(each)]);
}

/** "milter_headers (skip_authenticated = false, local.d/milter_headers.conf:2) adds …" when the admin turned the skip off. */
function headersToo(skip: RspamdSetting | null): string {
  if (!skip?.loc || !/^(false|no|off)$/i.test(skip.value.trim())) return "";
  return ` milter_headers is told not to skip it (${skip.name} = ${skip.value}, ${path.basename(skip.loc.file)}:${skip.loc.line}), so its X-Spam and X-Rspamd headers, which sieve rules file on, are added to it as well.`;
}

/**
 * One result for every service concerned: the fix is one rule of Rspamd's settings. It points at
 * the first service's milter setting; `service` names it only when it is the only one.
 */
function scopeResult(
  model: WithRspamd,
  listeners: Listener[],
  fields: { check: CheckId; severity: Severity; problem: string; rule: string[]; evidence: FindingKind[] },
): AuditResult[] {
  const first = listeners[0];
  if (!first) return [];
  const milters = miltersOf(model, first);
  const change = addSettingsRule(model, fields.rule);
  return [
    result({
      check: fields.check,
      severity: fields.severity,
      ...settingWhere(milters, first.role === "pickup" ? null : first.service),
      setting: milters.name,
      value: milters.raw,
      service: listeners.length === 1 ? first.service.key : null,
      problem: fields.problem,
      fix: change.lines.join("\n"),
      edits: change.edits,
      evidence: fields.evidence,
    }),
  ];
}

const scansAuthenticated: Check<AuditModel> = {
  id: "rspamd-scans-authenticated",
  run(model) {
    if (!hasRspamd(model)) return [];
    if (model.rspamd.settingsRules.some((r) => r.authenticated || r.users.length > 0)) return [];
    const listeners = scannedListeners(model).filter((l) => l.classes.includes("authenticated"));
    return scopeResult(model, listeners, {
      check: "rspamd-scans-authenticated",
      severity: "high",
      rule: ["authenticated {", "  priority = high;", "  authenticated = yes;", ...TRUSTED_APPLY, "}"],
      problem: `${list(listeners.map(serviceLabel))} ${listeners.length === 1 ? "takes" : "take"} logged-in users' mail and ${listeners.length === 1 ? "runs" : "run"} it through Rspamd's milter (${origins(model, listeners)}), and Rspamd's settings have no rule for authenticated senders (no \`authenticated = yes\` or \`user\` rule in local.d/settings.conf). Users' own mail gets the actions of strangers' mail: "add header" files it into a local recipient's Junk, and each outgoing copy is scored with the Bayes of the outside recipient, which nobody ever trains.${headersToo(model.rspamd.milterHeaders.skipAuthenticated)} The rule below keeps Rspamd on this mail (DKIM signing, reject for hijacked accounts) without Bayes or tagging; if Rspamd does nothing else for a service, \`-o smtpd_milters=\` on it works too.`,
      evidence: ["verdict-on-authenticated", "verdict-on-outgoing"],
    });
  },
};

/** mynetworks as Rspamd settings `ip` values (`[::1]/128` → `::1/128`), maps left out. */
const mynetworksIps = (model: AuditModel) =>
  listItems(effective(model.postfix, null, "mynetworks").value)
    .filter((i) => !/^[a-z]+:/.test(i) && !i.startsWith("/"))
    .map((i) => i.replace(/^\[([^\]]+)\]/, "$1"));

const scansLocal: Check<AuditModel> = {
  id: "rspamd-scans-local",
  run(model) {
    if (!hasRspamd(model)) return [];
    if (model.rspamd.settingsRules.some((r) => r.local || r.ips.length > 0)) return [];
    const listeners = scannedListeners(model).filter(
      (l) => l.role === "pickup" || l.classes.includes("mynetworks"),
    );
    const ips = [...new Set(["127.0.0.1/32", "::1/128", ...mynetworksIps(model)])];
    const who = listeners.map((l) =>
      l.role === "pickup"
        ? "mail made on this server with sendmail (cron jobs, scripts; non_smtpd_milters)"
        : `mail from mynetworks without login (web scripts, monitoring, devices on the LAN) on ${serviceLabel(l)}`,
    );
    return scopeResult(model, listeners, {
      check: "rspamd-scans-local",
      severity: "medium",
      rule: [
        "local-clients {",
        "  priority = high;",
        `  ip = [${ips.map((i) => `"${i}"`).join(", ")}];`,
        ...TRUSTED_APPLY,
        "}",
      ],
      problem: `Rspamd's milter scans ${list(who)} (${origins(model, listeners)}), and Rspamd's settings have no rule for these clients (no \`local = yes\` or \`ip\` rule in local.d/settings.conf). Such mail is judged like mail from strangers: tagged as spam with nobody to notice or retrain it, and outgoing copies are scored with the Bayes of the outside recipient.${headersToo(model.rspamd.milterHeaders.skipLocal)}`,
      evidence: ["verdict-on-local", "verdict-on-outgoing"],
    });
  },
};

type Network = { text: string; open: boolean; wide: boolean };

/** An address block of mynetworks: open = the whole Internet, wide = more than one LAN (shorter than /24, /64). */
function classify(item: string): Network | null {
  const bare = item.replace(/^\[([^\]]+)\]/, "$1");
  const [address = "", bits] = bare.split("/");
  const v6 = address.includes(":");
  if (!/^[0-9a-f.:]+$/i.test(address) || address.startsWith("127.") || address === "::1") return null;
  const prefix = bits === undefined ? (v6 ? 128 : 32) : Number(bits);
  if (!Number.isFinite(prefix)) return null;
  return { text: item, open: prefix < 8, wide: prefix < (v6 ? 64 : 24) };
}

const mynetworksTooBroad: Check<AuditModel> = {
  id: "mynetworks-too-broad",
  run(model) {
    if (!hasRspamd(model) || !scannedListeners(model).some((l) => l.classes.includes("mynetworks")))
      return [];
    return [mynetworksResult(model)].filter((r): r is AuditResult => r !== null);
  },
};

function mynetworksResult(model: WithRspamd): AuditResult | null {
  const setting = effective(model.postfix, null, "mynetworks");
  const style = effective(model.postfix, null, "mynetworks_style");
  const compat = Number.parseFloat(effective(model.postfix, null, "compatibility_level").value || "0");
  // postconf(5): without mynetworks, mynetworks_style decides (default host from compatibility level 2, subnet before).
  const styleValue = style.value.trim() || (compat >= 2 ? "host" : "subnet");
  let broad: Network[];
  let why: string;
  if (setting.from === "default") {
    if (styleValue === "host") return null;
    broad = [{ text: `mynetworks_style = ${styleValue}`, open: false, wide: true }];
    why = `mynetworks is not set, so mynetworks_style = ${styleValue}${style.from === "default" ? ` (Postfix's default below compatibility_level 2)` : ""} trusts every host of ${styleValue === "class" ? "this server's whole address class" : "the server's own subnets"}`;
  } else {
    broad = listItems(setting.value)
      .map(classify)
      .filter((n): n is Network => n?.wide === true);
    if (broad.length === 0) return null;
    why = `mynetworks = ${setting.raw} trusts ${broad.map((n) => n.text).join(", ")}`;
  }
  const kept = listItems(setting.from === "default" ? "" : setting.value).filter(
    (i) => !broad.some((n) => n.text === i),
  );
  const value = kept.length > 0 ? kept.join(" ") : "127.0.0.0/8 [::1]/128";
  const change = setMainSetting(model.postfix, "mynetworks", value);
  const open = broad.some((n) => n.open);
  return result({
    check: "mynetworks-too-broad",
    severity: open ? "high" : "medium",
    ...settingWhere(setting.from === "default" ? style : setting, null),
    setting: setting.from === "default" ? "mynetworks_style" : "mynetworks",
    value: setting.from === "default" ? styleValue : setting.raw,
    problem: `${why}: ${open ? "that is the whole Internet, an open relay" : "every machine there"} may send mail without logging in (permit_mynetworks), and Rspamd sees that mail as neither authenticated nor from a user: it is scanned like strangers' mail, with the Bayes of its outside recipients. Trust only this host and the few machines that must send without a login (add each as a single address, e.g. 192.0.2.10/32); give people SASL logins on the submission port.`,
    fix: change.lines.join("\n"),
    edits: change.edits,
    evidence: ["verdict-on-local", "verdict-on-outgoing"],
  });
}

export const rspamdScopeChecks: Check<AuditModel>[] = [scansAuthenticated, scansLocal, mynetworksTooBroad];
