import path from "node:path";
import type { AuditModel } from "../assemble.ts";
import { serviceLabel, settingWhere } from "../checks/shared.ts";
import { setMainSetting } from "../edits.ts";
import { effective, listItems } from "../model/postfix.ts";
import { type AuditResult, type Check, result } from "../types.ts";
import type { RspamdSetting } from "./model.ts";
import {
  addSettingsRule,
  hasRspamd,
  miltersOf,
  scannedListeners,
  TRUSTED_APPLY,
  type WithRspamd,
} from "./shared.ts";

const origin = (model: AuditModel, l: Parameters<typeof miltersOf>[1]) => {
  const m = miltersOf(model, l);
  return m.from === "override"
    ? `-o ${m.name}=${m.raw} on ${l.service.name}`
    : `${m.name} = ${m.raw} in main.cf`;
};

/** "milter_headers (skip_authenticated = false, local.d/milter_headers.conf:2) adds …" when the admin turned the skip off. */
function headersToo(skip: RspamdSetting | null): string {
  if (!skip?.loc || !/^(false|no|off)$/i.test(skip.value.trim())) return "";
  return ` milter_headers is told not to skip it (${skip.name} = ${skip.value}, ${path.basename(skip.loc.file)}:${skip.loc.line}), so its X-Spam and X-Rspamd headers, which sieve rules file on, are added to it as well.`;
}

const scansAuthenticated: Check<AuditModel> = {
  id: "rspamd-scans-authenticated",
  run(model) {
    if (!hasRspamd(model)) return [];
    const rules = model.rspamd.settingsRules.filter((r) => r.authenticated || r.users.length > 0);
    if (rules.length > 0) return [];
    return scannedListeners(model)
      .filter((l) => l.classes.includes("authenticated"))
      .map((l) => {
        const milters = miltersOf(model, l);
        const change = addSettingsRule(model, [
          "authenticated {",
          "  priority = high;",
          "  authenticated = yes;",
          ...TRUSTED_APPLY,
          "}",
        ]);
        return result({
          check: "rspamd-scans-authenticated",
          severity: "high",
          ...settingWhere(milters, l.service),
          setting: milters.name,
          value: milters.raw,
          service: l.service.key,
          problem: `${serviceLabel(l)} takes logged-in users' mail and runs it through Rspamd's milter (${origin(model, l)}), and Rspamd's settings have no rule for authenticated senders (no \`authenticated = yes\` or \`user\` rule in local.d/settings.conf). Users' own mail gets the actions of strangers' mail: "add header" files it into a local recipient's Junk, and each outgoing copy is scored with the Bayes of the outside recipient, which nobody ever trains.${headersToo(model.rspamd.milterHeaders.skipAuthenticated)} The rule below keeps Rspamd on this mail (DKIM signing, reject for hijacked accounts) without Bayes or tagging; if Rspamd does nothing else for this service, \`-o smtpd_milters=\` on it works too.`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["verdict-on-authenticated", "verdict-on-outgoing"],
        });
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
    const out: AuditResult[] = [];
    for (const l of scannedListeners(model)) {
      const pickup = l.role === "pickup";
      if (!pickup && !l.classes.includes("mynetworks")) continue;
      const milters = miltersOf(model, l);
      const ips = [...new Set(["127.0.0.1/32", "::1/128", ...mynetworksIps(model)])];
      const change = addSettingsRule(model, [
        "local-clients {",
        "  priority = high;",
        `  ip = [${ips.map((i) => `"${i}"`).join(", ")}];`,
        ...TRUSTED_APPLY,
        "}",
      ]);
      const who = pickup
        ? "mail made on this server with sendmail (cron jobs, scripts)"
        : "mail from mynetworks without login (web scripts, monitoring, devices on the LAN)";
      out.push(
        result({
          check: "rspamd-scans-local",
          severity: "medium",
          ...settingWhere(milters, pickup ? null : l.service),
          setting: milters.name,
          value: milters.raw,
          service: l.service.key,
          problem: `${serviceLabel(l)} runs ${who} through Rspamd's milter (${origin(model, l)}), and Rspamd's settings have no rule for these clients (no \`local = yes\` or \`ip\` rule in local.d/settings.conf). Such mail is judged like mail from strangers: tagged as spam with nobody to notice or retrain it, and outgoing copies are scored with the Bayes of the outside recipient.${headersToo(model.rspamd.milterHeaders.skipLocal)}`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["verdict-on-local", "verdict-on-outgoing"],
        }),
      );
    }
    return out;
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
