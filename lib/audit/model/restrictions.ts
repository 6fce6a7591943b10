import {
  type Effective,
  effective,
  mapReferences,
  type PostfixConfig,
  type PostfixService,
} from "./postfix.ts";

/** Who hands mail to a receiving service: strangers, logged-in users, mynetworks without login, sendmail. */
export type ClientClass = "internet" | "authenticated" | "mynetworks" | "local";

// smtpd evaluates its lists in this order (smtpd_delay_reject = yes, the default), each at RCPT time.
const LISTS = [
  "smtpd_client_restrictions",
  "smtpd_helo_restrictions",
  "smtpd_sender_restrictions",
  "smtpd_relay_restrictions",
  "smtpd_recipient_restrictions",
];

/**
 * The FILTER actions (access(5): `FILTER transport:destination`) that each class of client reaches
 * in a service's restriction lists. A `permit…` ends only the list it is in; FILTER takes precedence
 * over content_filter (FILTER_README). Only maps given as files can be read.
 */
export function accessFilters(
  config: PostfixConfig,
  service: PostfixService,
): Partial<Record<ClientClass, { value: string; setting: Effective }>> {
  const out: Partial<Record<ClientClass, { value: string; setting: Effective }>> = {};
  for (const list of LISTS) {
    const setting = effective(config, service, list);
    const items = setting.value.split(/[\s,]+/).filter((i) => i !== "");
    const stopped = new Set<ClientClass>();
    for (let i = 0; i < items.length; i++) {
      const item = items[i] ?? "";
      if (item === "permit" || item === "reject") break;
      if (item === "permit_sasl_authenticated") stopped.add("authenticated");
      if (item === "permit_mynetworks") stopped.add("mynetworks");
      if (!/^check_\w+_access$/.test(item)) continue;
      const action = filterAction(config, items[i + 1] ?? "");
      i += 1;
      if (!action) continue;
      for (const c of ["internet", "authenticated", "mynetworks"] as const)
        if (!stopped.has(c)) out[c] = { value: action, setting };
    }
  }
  return out;
}

function filterAction(config: PostfixConfig, reference: string): string | null {
  for (const ref of mapReferences(reference)) {
    const map = config.maps.get(ref.path);
    const entry = map?.entries.findLast((e) => /^FILTER\s+\S+/i.test(e.value));
    if (entry) return entry.value.replace(/^FILTER\s+/i, "").trim();
  }
  return null;
}
