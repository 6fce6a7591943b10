import type { AuditModel } from "../assemble.ts";
import { type Change, combine, optionText, setMainSetting, setServiceOption } from "../edits.ts";
import { isLoopback, type Listener } from "../model/mail-path.ts";
import { listItems } from "../model/postfix.ts";
import { type AuditResult, type Check, result } from "../types.ts";
import { origin, serviceLabel, settingWhere } from "./shared.ts";

const noFilter = (model: AuditModel, l: Listener) =>
  setServiceOption(model.postfix, model.files, l.service, "content_filter", "");
const noAuth = (model: AuditModel, l: Listener) =>
  setServiceOption(model.postfix, model.files, l.service, "smtpd_sasl_auth_enable", "no");
const submissionWithAuth = (model: AuditModel) =>
  model.listeners.some((l) => l.role === "submission" && l.classes.includes("authenticated"));

const authOnPort25: Check<AuditModel> = {
  id: "auth-on-port-25",
  run(model) {
    return model.listeners
      .filter((l) => l.role === "mx" && l.classes.includes("authenticated"))
      .map((l) => {
        const change = noAuth(model, l);
        return result({
          check: "auth-on-port-25",
          severity: l.filterFor.authenticated ? "high" : "medium",
          ...settingWhere(l.sasl, l.service),
          setting: "smtpd_sasl_auth_enable",
          value: l.sasl.raw,
          service: l.service.key,
          problem: `${serviceLabel(l)}, which receives mail from the Internet, accepts SASL AUTH (${origin(l.sasl, l.service)}, with no override on this service). Mail clients set up for port 25 work${l.filterFor.authenticated ? ", and their users' own mail goes through the filter like mail from strangers" : ""}; port 25 also becomes a target for password guessing.${submissionWithAuth(model) ? "" : " No submission service (port 587) with authentication is configured: add one before switching AUTH off here."}`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["auth-on-port-25", "verdict-on-authenticated"],
        });
      });
  },
};

const filterOnAuthenticated: Check<AuditModel> = {
  id: "filter-on-authenticated",
  run(model) {
    return model.listeners
      .filter((l) => l.role !== "reinjection" && l.filterFor.authenticated)
      .map((l) => {
        const use = l.filterFor.authenticated;
        const onMx = l.role === "mx";
        const change = onMx
          ? noAuth(model, l)
          : use?.via === "access-map"
            ? permitFirst(model, l, "authenticated")
            : noFilter(model, l);
        const setting = onMx ? l.sasl : (use?.setting ?? l.contentFilter);
        return result({
          check: "filter-on-authenticated",
          severity: "high",
          ...settingWhere(setting, l.service),
          setting: setting.name,
          value: setting.raw,
          service: l.service.key,
          problem: onMx
            ? `${serviceLabel(l)} accepts SASL AUTH and hands everything it receives to the filter (${use?.value}): mail that users send after logging in is judged like mail from strangers. Nobody retrains verdicts on outgoing mail, and DSPAM creates a dictionary for every outside recipient.`
            : `${serviceLabel(l)} takes logged-in users' mail and hands it to the filter (${origin(setting, l.service)}): users' own mail is judged like mail from strangers, and nobody retrains those verdicts.`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["verdict-on-authenticated", "verdict-on-outgoing"],
        });
      });
  },
};

/** Puts permit_sasl_authenticated (or permit_mynetworks) before the check that returns FILTER, so those clients never reach it. */
function permitFirst(model: AuditModel, l: Listener, who: "authenticated" | "mynetworks"): Change {
  const setting = l.filterFor[who]?.setting;
  if (!setting) return noFilter(model, l);
  const permit = who === "authenticated" ? "permit_sasl_authenticated" : "permit_mynetworks";
  const items = listItems(setting.value).filter((i) => i !== permit);
  const at = Math.max(
    0,
    items.findIndex((i) => /^check_\w+_access$/.test(i)),
  );
  const value = [...items.slice(0, at), permit, ...items.slice(at)].join(", ");
  if (setting.from === "main" && model.postfix.mainFile)
    return setMainSetting(model.postfix, setting.name, value);
  return setServiceOption(model.postfix, model.files, l.service, setting.name, value);
}

const filterOnLocal: Check<AuditModel> = {
  id: "filter-on-local",
  run(model) {
    const out: AuditResult[] = [];
    for (const l of model.listeners) {
      if (l.role === "reinjection") continue;
      const use = l.filterFor.local ?? l.filterFor.mynetworks;
      if (!use) continue;
      const split = l.role === "mx" && l.host === null;
      const change: Change =
        use.via === "access-map"
          ? permitFirst(model, l, "mynetworks")
          : !split
            ? noFilter(model, l)
            : l.service.type === "inet"
              ? splitLocalFromPublic(model, l)
              : {
                  edits: [],
                  lines: [
                    "Split the postscreen service in master.cf: `127.0.0.1:smtp inet … smtpd -o content_filter=` for this host, `PUBLIC_IP:smtp inet … postscreen` for the Internet.",
                  ],
                };
      const setting = use.setting ?? l.contentFilter;
      const who =
        l.role === "pickup"
          ? "mail made on this server with sendmail (cron jobs, scripts)"
          : "mail from mynetworks without login (web scripts, monitoring on this host)";
      out.push(
        result({
          check: "filter-on-local",
          severity: "medium",
          ...settingWhere(setting, l.service),
          setting: setting.name,
          value: setting.raw,
          service: l.service.key,
          problem: `${serviceLabel(l)} hands ${who} to the filter (${origin(setting, l.service)}${setting.from === "main" ? ", which applies to every service without its own -o content_filter" : ""}). Such mail is judged like mail from strangers: if it is tagged as spam nobody notices, only root could retrain it, and outgoing copies create DSPAM users for outside addresses.${split ? " The service listens on every address, so scripts on this host reach the filtered smtpd." : ""}`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["verdict-on-local", "verdict-on-outgoing"],
        }),
      );
    }
    return out;
  },
};

/**
 * The origin story's split: `127.0.0.1:smtp` without a filter for this host, `PUBLIC-IP:smtp` with
 * it for the Internet (FILTER_README "Filtering mail from outside users only").
 */
function splitLocalFromPublic(model: AuditModel, l: Listener): Change {
  const { postfix, files } = model;
  const publicIp =
    listItems(postfix.main.get("inet_interfaces")?.value ?? "").find(
      (a) => /^[0-9a-f.:]+$/i.test(a) && !isLoopback(a),
    ) ?? "PUBLIC_IP";
  const file = l.service.loc.file;
  const head = files.get(file)?.[l.service.loc.line - 1] ?? "";
  const renamed = head.replace(/^\S+/, `${publicIp}:${l.service.name.replace(/^.*:/, "")}`);
  const fields = head.trim().split(/\s+/).slice(1, 7).join(" ");
  const localHead = `127.0.0.1:smtp ${fields} smtpd`;
  const off = optionText("content_filter", "");
  const rename = { file, startLine: l.service.loc.line, endLine: l.service.loc.line, lines: [renamed] };
  if (postfix.overridesFile) {
    const moved = [...l.service.overrides.values()].map((o) => ({
      file: o.loc.file,
      startLine: o.loc.line,
      endLine: o.loc.line,
      lines: [`${publicIp}:smtp/${l.service.type}/${o.name} = ${o.value}`],
    }));
    const added = {
      file: postfix.overridesFile,
      startLine: postfix.overridesLineCount + 1,
      endLine: postfix.overridesLineCount,
      lines: ["127.0.0.1:smtp/inet/content_filter = "],
    };
    const insert = {
      file,
      startLine: l.service.loc.line,
      endLine: l.service.loc.line - 1,
      lines: [localHead],
    };
    return {
      edits: [rename, insert, ...moved, added],
      lines: [localHead, renamed, "127.0.0.1:smtp/inet/content_filter ="],
    };
  }
  const local = postfix.masterSource === "postconf-M" ? [`${localHead} ${off}`] : [localHead, `  ${off}`];
  const insert = { file, startLine: l.service.loc.line, endLine: l.service.loc.line - 1, lines: local };
  return combine({ edits: [insert, rename], lines: [...local, renamed] });
}

export const filterScopeChecks = [authOnPort25, filterOnAuthenticated, filterOnLocal];
