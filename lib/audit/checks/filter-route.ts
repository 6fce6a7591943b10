import type { AuditModel } from "../assemble.ts";
import { combine, setServiceOption } from "../edits.ts";
import { type AuditResult, type Check, result } from "../types.ts";
import { addReinjectionService, freeReinjectionPort, pointDspamAt } from "./reinjection-fix.ts";
import {
  filteredListeners,
  list,
  origin,
  reinjectionListeners,
  serviceLabel,
  settingWhere,
} from "./shared.ts";

/** The content_filter value that hands mail to the DSPAM daemon of dspam.conf (ServerDomainSocketPath or ServerPort). */
function dspamFilterValue(model: AuditModel): string | null {
  const used = filteredListeners(model).flatMap((l) => Object.values(l.filterFor).map((f) => f.value));
  if (used[0]) return used[0];
  if (model.dspam?.serverSocket) return `lmtp:unix:${model.dspam.serverSocket}`;
  if (model.dspam?.serverPort) return `lmtp:inet:127.0.0.1:${model.dspam.serverPort}`;
  return null;
}

const loop: Check<AuditModel> = {
  id: "filter-loop",
  run(model) {
    return reinjectionListeners(model)
      .filter((r) => r.contentFilter.value.trim() !== "")
      .map((r) => {
        const change = setServiceOption(model.postfix, model.files, r.service, "content_filter", "");
        return result({
          check: "filter-loop",
          severity: "high",
          ...settingWhere(r.contentFilter, r.service),
          setting: "content_filter",
          value: r.contentFilter.raw,
          service: r.service.key,
          problem: `${serviceLabel(r)} is where the filter reinjects mail (${model.returnPath.how}), but it hands that mail to the filter again (${origin(r.contentFilter, r.service)}): mail loops through DSPAM until Postfix gives up (FILTER_README: "-o content_filter= … is required or else mail will loop").`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["filter-problem"],
        });
      });
  },
};

const bypass: Check<AuditModel> = {
  id: "filter-bypass",
  run(model) {
    const filtered = filteredListeners(model);
    const value = dspamFilterValue(model);
    const out: AuditResult[] = [];
    const mx = model.listeners.filter(
      (l) => l.role === "mx" && l.classes.includes("internet") && !l.filterFor.internet,
    );
    if (!value || (filtered.length === 0 && !model.dspam)) return [];
    for (const l of mx) {
      const change = setServiceOption(model.postfix, model.files, l.service, "content_filter", value);
      out.push(
        result({
          check: "filter-bypass",
          severity: "high",
          ...settingWhere(l.contentFilter, l.service),
          setting: "content_filter",
          value: l.contentFilter.raw,
          service: l.service.key,
          problem:
            filtered.length === 0
              ? `No service hands mail to DSPAM: ${serviceLabel(l)} receives the Internet's mail with ${origin(l.contentFilter, l.service)}, and no other service or access map sets a filter. DSPAM is configured (${model.dspam?.file}) but never sees a message.`
              : `${serviceLabel(l)} receives the Internet's mail without a filter (${origin(l.contentFilter, l.service)}), while ${list(filtered.map(serviceLabel))} hands mail to ${value}: inbound mail skips DSPAM.`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["filter-problem"],
        }),
      );
    }
    return out;
  },
};

const returnMissing: Check<AuditModel> = {
  id: "filter-return-missing",
  run(model) {
    const path = model.returnPath;
    const delivery = model.dspam?.delivery;
    if (path.kind !== "missing" || !delivery || delivery.kind !== "host") return [];
    const candidate = model.listeners.find(
      (l) =>
        l.role === "other" &&
        l.host !== null &&
        /^(127\.|::1|localhost)/.test(l.host) &&
        l.service.overrides.get("content_filter")?.value === "",
    );
    const port = candidate?.port ?? freeReinjectionPort(model);
    const change = candidate
      ? pointDspamAt(model, port)
      : combine(addReinjectionService(model, port), pointDspamAt(model, port));
    return [
      result({
        check: "filter-return-missing",
        severity: "high",
        file: delivery.loc.file,
        line: delivery.loc.line,
        setting: "DeliveryHost",
        value: delivery.socket ? delivery.host : `${delivery.host}:${delivery.port}`,
        problem: `DSPAM hands classified mail to ${path.how.replace(/^DeliveryHost /, "")}, but ${candidate ? `the reinjection smtpd in master.cf is ${serviceLabel(candidate)}` : "no smtpd in master.cf takes mail back from the filter"}: filtered mail is deferred or bounced by DSPAM's delivery agent.`,
        fix: change.lines.join("\n"),
        edits: change.edits,
        evidence: ["filter-problem"],
      }),
    ];
  },
};

export const filterRouteChecks = [loop, bypass, returnMissing];
