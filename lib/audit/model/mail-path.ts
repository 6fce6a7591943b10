import type { DovecotModel } from "./dovecot.ts";
import type { DspamModel } from "./dspam.ts";
import { type Effective, effective, listItems, type PostfixConfig, type PostfixService } from "./postfix.ts";
import { accessFilters, type ClientClass } from "./restrictions.ts";

export type { ClientClass } from "./restrictions.ts";

/**
 * What a receiving service is for: `mx` receives mail from the Internet on port 25; `local` is a
 * port-25 listener bound to loopback; `reinjection` takes mail back from the filter.
 */
export type Role = "mx" | "local" | "submission" | "reinjection" | "pickup" | "other";

export type FilterUse = { value: string; via: "content_filter" | "access-map"; setting: Effective | null };

/** A service through which mail enters Postfix (an smtpd, pickup or qmqpd), with the settings it runs with. */
export type Listener = {
  service: PostfixService;
  role: Role;
  host: string | null;
  port: number | null;
  /** The clients it receives mail from. */
  classes: ClientClass[];
  sasl: Effective;
  contentFilter: Effective;
  receiveOverride: Effective;
  /** Virtual alias expansion (and canonical maps, always_bcc …) happens where this service receives mail. */
  expands: boolean;
  /** The filter each class of client's mail is handed to (none: not filtered). */
  filterFor: Partial<Record<ClientClass, FilterUse>>;
  syslogName: string;
};

export type ReturnPath =
  | { kind: "postfix"; listeners: Listener[]; how: string }
  | { kind: "mailbox"; how: string }
  | { kind: "missing"; how: string }
  | { kind: "unknown"; how: string };

export type MailPath = {
  postfix: PostfixConfig;
  dspam: DspamModel | null;
  dovecot: DovecotModel | null;
  listeners: Listener[];
  /** How filtered mail comes back into Postfix (or goes straight to the mailboxes). */
  returnPath: ReturnPath;
};

const PORTS: Record<string, number> = { smtp: 25, submission: 587, smtps: 465, submissions: 465 };
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[?::1\]?|localhost)$/i;

/** Splits a master.cf inet service name (`127.0.0.1:10026`, `[::1]:smtp`, `submission`) into host and port. */
export function listenAddress(name: string): { host: string | null; port: number | null } {
  const match = /^(?:(\[[^\]]+\]|[^:]+|.*):)?([^:]+)$/.exec(name);
  const host = match?.[1] ? match[1].replace(/^\[|\]$/g, "") : null;
  const portName = match?.[2] ?? name;
  const port = /^\d+$/.test(portName) ? Number(portName) : (PORTS[portName] ?? null);
  return { host, port };
}

export const isLoopback = (host: string | null) => host !== null && LOOPBACK.test(host);

/** Models the services a message passes: each receiving service with its overrides, and the filter's way back. */
export function buildMailPath(
  postfix: PostfixConfig,
  dspam: DspamModel | null,
  dovecot: DovecotModel | null,
): MailPath {
  const receiving = receivingServices(postfix);
  const returnPath = findReturnPath(postfix, receiving, dspam, dovecot);
  const reinjection = new Set(
    returnPath.kind === "postfix" ? returnPath.listeners.map((l) => l.service.key) : [],
  );
  const listeners = receiving.map((draft) => {
    const role: Role = reinjection.has(draft.service.key) ? "reinjection" : draft.role;
    return finishListener(postfix, { ...draft, role });
  });
  const finalPath: ReturnPath =
    returnPath.kind === "postfix"
      ? { ...returnPath, listeners: listeners.filter((l) => reinjection.has(l.service.key)) }
      : returnPath;
  return { postfix, dspam, dovecot, listeners, returnPath: finalPath };
}

type Draft = { service: PostfixService; role: Role; host: string | null; port: number | null };

function receivingServices(postfix: PostfixConfig): Draft[] {
  const drafts: Draft[] = [];
  const postscreen = postfix.services.find((s) => s.type === "inet" && s.command === "postscreen");
  for (const service of postfix.services) {
    if (service.command === "pickup") {
      drafts.push({ service, role: "pickup", host: null, port: null });
      continue;
    }
    if (service.command === "qmqpd") {
      drafts.push({ service, role: "other", ...listenAddress(service.name) });
      continue;
    }
    if (service.command !== "smtpd") continue;
    // Behind postscreen the port-25 smtpd is a `pass` service that inherits postscreen's address.
    const address =
      service.type === "pass" && postscreen ? listenAddress(postscreen.name) : listenAddress(service.name);
    if (service.type !== "inet" && service.type !== "pass") continue;
    drafts.push({ service, role: roleOf(address), ...address });
  }
  return drafts;
}

function roleOf({ host, port }: { host: string | null; port: number | null }): Role {
  if (port === 25) return isLoopback(host) ? "local" : "mx";
  if (port === 587 || port === 465) return "submission";
  return "other";
}

function finishListener(postfix: PostfixConfig, draft: Draft): Listener {
  const { service } = draft;
  const sasl = effective(postfix, service, "smtpd_sasl_auth_enable");
  const contentFilter = effective(postfix, service, "content_filter");
  const receiveOverride = effective(postfix, service, "receive_override_options");
  const saslOn = draft.role !== "pickup" && /^(yes|true|1)$/i.test(sasl.value.trim());
  const classes = clientClasses(draft, saslOn);
  const filterFor: Listener["filterFor"] = {};
  const viaMaps = draft.role === "pickup" ? {} : accessFilters(postfix, service);
  for (const c of classes) {
    const mapFilter = viaMaps[c];
    if (mapFilter) filterFor[c] = { value: mapFilter.value, via: "access-map", setting: mapFilter.setting };
    else if (contentFilter.value.trim() !== "")
      filterFor[c] = { value: contentFilter.value.trim(), via: "content_filter", setting: contentFilter };
  }
  return {
    ...draft,
    classes,
    sasl,
    contentFilter,
    receiveOverride,
    expands: !listItems(receiveOverride.value).includes("no_address_mappings"),
    filterFor,
    syslogName: effective(postfix, service, "syslog_name").value,
  };
}

function clientClasses(draft: Draft, sasl: boolean): ClientClass[] {
  const withAuth = (classes: ClientClass[]): ClientClass[] =>
    sasl ? [...classes, "authenticated"] : classes;
  switch (draft.role) {
    case "pickup":
      return ["local"];
    case "reinjection":
      return [];
    case "submission":
      return sasl ? ["authenticated"] : ["mynetworks"];
    case "mx":
      // Bound to all addresses, port 25 also takes scripts on this host (localhost is in mynetworks).
      return withAuth(draft.host === null ? ["internet", "mynetworks"] : ["internet"]);
    default:
      return withAuth(["mynetworks"]);
  }
}

function findReturnPath(
  postfix: PostfixConfig,
  drafts: Draft[],
  dspam: DspamModel | null,
  dovecot: DovecotModel | null,
): ReturnPath {
  const delivery = dspam?.delivery;
  if (delivery?.kind === "agent") {
    if (delivery.sendmail) {
      const pickup = drafts.filter((d) => d.role === "pickup");
      return {
        kind: "postfix",
        listeners: pickup.map((d) => finishListener(postfix, d)),
        how: `TrustedDeliveryAgent ${delivery.command} (sendmail → pickup)`,
      };
    }
    return {
      kind: "mailbox",
      how: `TrustedDeliveryAgent ${delivery.command} delivers to the mailboxes itself`,
    };
  }
  if (delivery?.kind === "host") {
    const where = delivery.socket ? delivery.host : `${delivery.host}:${delivery.port}`;
    if (
      delivery.socket
        ? dovecot?.lmtpSockets.includes(delivery.host)
        : dovecot?.lmtpPorts.includes(delivery.port ?? -1)
    )
      return {
        kind: "mailbox",
        how: `DeliveryHost ${where} is Dovecot's LMTP: DSPAM delivers to the mailboxes itself`,
      };
    const matches = drafts.filter(
      (d) =>
        d.service.type === "inet" &&
        d.port === delivery.port &&
        (d.host === null || d.host === delivery.host || (isLoopback(d.host) && isLoopback(delivery.host))),
    );
    if (matches.length > 0)
      return {
        kind: "postfix",
        listeners: matches.map((d) => finishListener(postfix, d)),
        how: `DeliveryHost ${where} (${delivery.proto.toUpperCase()})`,
      };
    if (delivery.proto === "lmtp" && !dovecot)
      return {
        kind: "unknown",
        how: `DeliveryHost ${where} (LMTP): no Postfix service listens there; Dovecot's configuration was not given`,
      };
    return { kind: "missing", how: `DeliveryHost ${where}: no service in master.cf listens there` };
  }
  // Without dspam.conf: the loopback smtpd that switches the filter off is the reinjection (FILTER_README).
  const guessed = drafts.filter(
    (d) =>
      d.role === "other" &&
      isLoopback(d.host) &&
      d.service.overrides.get("content_filter")?.value.trim() === "",
  );
  if (guessed.length > 0)
    return {
      kind: "postfix",
      listeners: guessed.map((d) => finishListener(postfix, d)),
      how: "a loopback smtpd with `-o content_filter=` (dspam.conf not given)",
    };
  return { kind: "unknown", how: "dspam.conf was not given and no loopback smtpd switches the filter off" };
}
