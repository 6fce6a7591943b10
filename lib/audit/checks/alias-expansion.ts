import type { AuditModel } from "../assemble.ts";
import {
  type Change,
  combine,
  removeMainSetting,
  removeServiceOption,
  replaceSettingLine,
  setServiceOption,
} from "../edits.ts";
import type { Listener } from "../model/mail-path.ts";
import { mapTargets } from "../parse/map-file.ts";
import { type AuditResult, type Check, result } from "../types.ts";
import { dedicatedReinjection } from "./reinjection-fix.ts";
import {
  filteredListeners,
  isDspamFilter,
  list,
  localDomains,
  mappingSettings,
  origin,
  reinjectionListeners,
  serviceLabel,
  settingWhere,
  withOption,
} from "./shared.ts";

const NAM = "no_address_mappings";
// A loopback smtpd on its own port that switches the filter off is a reinjection even when DSPAM's
// delivery does not name it (filter-return-missing reports that).
const looksLikeReinjection = (l: Listener) =>
  l.role === "other" &&
  l.host !== null &&
  /^(127\.|::1|localhost)/.test(l.host) &&
  l.service.overrides.get("content_filter")?.value === "";
const filterValues = (l: Listener) => [...new Set(Object.values(l.filterFor).map((f) => f.value))];

/** Adds no_address_mappings to a service's own receive_override_options, keeping the options it has. */
function expandNotHere(model: AuditModel, listener: Listener): Change {
  return setServiceOption(
    model.postfix,
    model.files,
    listener.service,
    "receive_override_options",
    withOption(listener.receiveOverride.value, NAM, true),
  );
}

/** Makes a service expand again: drops no_address_mappings from its list (an override, or main.cf's line). */
function expandHere(model: AuditModel, listener: Listener, onlyThisService = false): Change {
  const setting = listener.receiveOverride;
  const rest = withOption(setting.value, NAM, false);
  const mainValue = model.postfix.main.get("receive_override_options")?.value ?? "";
  if (setting.from === "override" && rest === "" && !mainValue.includes(NAM))
    return removeServiceOption(model.files, listener.service, "receive_override_options");
  if (
    onlyThisService ||
    setting.from === "override" ||
    model.listeners.some((l) => l.role === "reinjection" && l.receiveOverride.from !== "override")
  )
    return setServiceOption(model.postfix, model.files, listener.service, "receive_override_options", rest);
  if (rest === "") return removeMainSetting(model.postfix, "receive_override_options");
  return replaceSettingLine(
    model.files,
    setting.loc ?? listener.service.loc,
    `receive_override_options = ${rest}`,
  );
}

const twice: Check<AuditModel> = {
  id: "alias-expansion-twice",
  run(model) {
    const maps = mappingSettings(model);
    if (maps.length === 0) return [];
    const before = filteredListeners(model).filter((l) => l.expands);
    if (before.length === 0) return [];
    return reinjectionListeners(model)
      .filter((r) => r.expands)
      .map((r): AuditResult => {
        const change = r.role === "pickup" ? dedicatedReinjection(model, r) : expandNotHere(model, r);
        return result({
          check: "alias-expansion-twice",
          severity: "high",
          ...settingWhere(r.receiveOverride, r.service),
          setting: "receive_override_options",
          value: r.receiveOverride.raw,
          service: r.service.key,
          problem: `Address mappings (${maps.map((m) => `${m.name} = ${m.raw}`).join("; ")}) are applied twice: on ${list(before.map(serviceLabel))} before the filter, and again on ${serviceLabel(r)}, where the filter reinjects each message (${model.returnPath.how}). Every alias and forward is expanded again after DSPAM has already expanded it into one copy per person: addresses reached through an alias get each message twice.`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["duplicate-delivery"],
        });
      });
  },
};

const afterFilter: Check<AuditModel> = {
  id: "alias-expansion-after-filter",
  run(model) {
    if (mappingSettings(model).length === 0) return [];
    const after = reinjectionListeners(model).filter((r) => r.expands);
    if (after.length === 0) return [];
    return filteredListeners(model)
      .filter((l) => !l.expands && filterValues(l).some((v) => isDspamFilter(model, v)))
      .map((l) => {
        const change = combine(expandHere(model, l), ...after.map((r) => expandNotHere(model, r)));
        return result({
          check: "alias-expansion-after-filter",
          severity: "high",
          ...settingWhere(l.receiveOverride, l.service),
          setting: "receive_override_options",
          value: l.receiveOverride.raw,
          service: l.service.key,
          problem: `${origin(l.receiveOverride, l.service)} switches virtual alias expansion off on ${serviceLabel(l)}, before DSPAM, and ${list(after.map(serviceLabel))} expands after it. DSPAM keeps one dictionary per recipient, so it judges mail under the alias (sales@, root@) while the people behind it retrain their own dictionaries: nobody can ever retrain the alias's verdicts. (FILTER_README's order suits filters with one global model, not DSPAM.)`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["classified-under-alias", "training-misdirected"],
        });
      });
  },
};

const never: Check<AuditModel> = {
  id: "alias-expansion-never",
  run(model) {
    const maps = mappingSettings(model);
    if (maps.length === 0) return [];
    const afterExpands = reinjectionListeners(model).some((r) => r.expands);
    return model.listeners
      .filter(
        (l) => l.role !== "reinjection" && !looksLikeReinjection(l) && !l.expands && l.classes.length > 0,
      )
      .filter((l) => {
        const unfiltered = l.classes.some((c) => !l.filterFor[c]);
        const filteredUnexpanded =
          Object.keys(l.filterFor).length > 0 && model.returnPath.kind === "postfix" && !afterExpands;
        return unfiltered || filteredUnexpanded;
      })
      .map((l) => {
        // Only this service: main.cf's no_address_mappings may be right for the filtered services.
        const change = expandHere(model, l, true);
        return result({
          check: "alias-expansion-never",
          severity: "high",
          ...settingWhere(l.receiveOverride, l.service),
          setting: "receive_override_options",
          value: l.receiveOverride.raw,
          service: l.service.key,
          problem: `Mail received on ${serviceLabel(l)} is never expanded: ${origin(l.receiveOverride, l.service)} switches the address mappings off there, and no later service turns them on for it. Mail to an alias (${maps.map((m) => m.name).join(", ")}) is not expanded into its members: it is rejected as an unknown user or lost.`,
          fix: change.lines.join("\n"),
          edits: change.edits,
        });
      });
  },
};

const forward: Check<AuditModel> = {
  id: "forward-through-filter",
  run(model) {
    const before = filteredListeners(model).filter(
      (l) => l.expands && filterValues(l).some((v) => isDspamFilter(model, v)),
    );
    const domains = localDomains(model);
    if (before.length === 0 || domains.length === 0) return [];
    const isLocal = (address: string) =>
      !address.includes("@") || domains.includes(address.split("@").pop()?.toLowerCase() ?? "");
    const out: AuditResult[] = [];
    for (const [mapPath, map] of model.postfix.maps) {
      const reference = model.postfix.main.get("virtual_alias_maps");
      if (!reference?.value.includes(mapPath)) continue;
      for (const entry of map.entries) {
        const targets = mapTargets(entry.value);
        const external = targets.filter((t) => !isLocal(t));
        const local = targets.filter(isLocal);
        if (external.length === 0 || local.length === 0) continue;
        const owner = local.find((t) => t.toLowerCase() === entry.key.toLowerCase()) ?? local[0] ?? entry.key;
        const change = replaceSettingLine(model.files, entry.loc, `${entry.key}\t${local.join(", ")}`);
        out.push(
          result({
            check: "forward-through-filter",
            severity: "low",
            file: entry.loc.file,
            line: entry.loc.line,
            setting: entry.key,
            value: entry.value,
            problem: `${entry.key} also forwards to ${list(external)} off this server. The alias is expanded before DSPAM (on ${list(before.map(serviceLabel))}), so DSPAM judges the forwarded copy under ${list(external)}: a dictionary nobody can retrain, and an extra DSPAM user on disk.`,
            fix: `${change.lines.join("\n")}\nand forward from the mailbox after filtering, in ${owner}'s sieve script: ${external.map((e) => `redirect :copy "${e}";`).join(" ")}`,
            edits: change.edits,
            evidence: ["classified-under-alias", "dspam-user-sprawl"],
          }),
        );
      }
    }
    return out;
  },
};

export const aliasExpansionChecks = [twice, afterFilter, never, forward];
