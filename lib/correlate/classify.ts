import type { Delivery, Relay } from "../core/events.ts";
import type { DeliveryDestination } from "../core/journey.ts";

/** 127.0.0.0/8, ::1 and the IPv4-mapped forms: mail from the server itself. */
export function isLoopback(ip: string | null | undefined): boolean {
  if (!ip) return false;
  const address = ip.toLowerCase().replace(/^::ffff:/, "");
  return address.startsWith("127.") || address === "::1" || address === "0:0:0:0:0:0:0:1";
}

// This machine's own loopback addresses: 127.0.0.1, and 127.0.1.1 (Debian maps the host's own name to it).
const OWN_LOOPBACK = new Set(["127.0.0.1", "127.0.1.1", "::1", "0:0:0:0:0:0:0:1"]);

/**
 * An SMTP client on this machine: a loopback address, except another 127/8 address whose name
 * Postfix verified as another host's (`mx1.example.net[127.0.0.2]`: a peer on a loopback alias,
 * such as a container or a test stand-in), which is a client like any other.
 */
export function isLocalClient(ip: string | null | undefined, name: string | null | undefined): boolean {
  if (!isLoopback(ip)) return false;
  const address = (ip as string).toLowerCase().replace(/^::ffff:/, "");
  return OWN_LOOPBACK.has(address) || !name || name === "unknown" || /^localhost(\.|$)/i.test(name);
}

/** A relay key that stays the same across deliveries: socket path, address:port, or transport name. */
export function relayKey(relay: Relay): string {
  if (relay.socket) return relay.socket;
  if (relay.address) return `${relay.address}:${relay.port ?? ""}`;
  return relay.host;
}

/** True when the relay is on this machine (loopback address or unix socket). */
export function isLocalRelay(relay: Relay): boolean {
  return relay.socket !== undefined || isLoopback(relay.address);
}

const FILTER_NAME = /dspam|amavis|spamassassin|spamc|rspamd|clamsmtp|filter/i;
const DOVECOT_NAME = /dovecot|lmtp|deliver|maildrop|procmail/i;

/** Names the content filter a relay points to, from its name or socket path. */
export function filterNameOf(relay: Relay): string | null {
  const text = relay.socket ?? relay.host;
  const match = /dspam|amavis|spamassassin|spamc|rspamd|clamsmtp/i.exec(text);
  if (match) return match[0].toLowerCase();
  return FILTER_NAME.test(text) ? "filter" : null;
}

// The master.cf service often names the filter: postfix/smtp-amavis/smtp, postfix/dspam/lmtp.
function serviceFilterName(service: string): string | null {
  const match = /dspam|amavis|spamassassin|rspamd|clamsmtp/i.exec(service);
  return match ? match[0].toLowerCase() : null;
}

export type DeliveryClass = { destination: DeliveryDestination; filter: string | null };

/**
 * Where a delivery line took the message. `knownFilterRelays` holds relays that answered like a
 * content filter before (so a deferral to them is a filter problem, not a lost mailbox delivery);
 * `childQueueExists` says whether the `queued as` id is a queue of this host.
 */
export function classifyDelivery(
  delivery: Delivery,
  knownFilterRelays: ReadonlySet<string>,
  childQueueExists: boolean,
  isLocalRecipient: (address: string) => boolean,
): DeliveryClass {
  const { relay, daemon } = delivery;
  if (delivery.dspamAccepted) return { destination: "filter", filter: "dspam" };
  // `queued as` naming a queue of this very host: the "remote" server was our own reinjection
  // smtpd (a filter may listen on the public address, e.g. relay=203.0.113.5[203.0.113.5]:2501).
  const filter = filterNameOf(relay) ?? serviceFilterName(delivery.service);
  if ((delivery.queuedAs && childQueueExists) || knownFilterRelays.has(relayKey(relay))) {
    return { destination: "filter", filter: filter ?? "content-filter" };
  }
  if (filter && (daemon === "smtp" || daemon === "lmtp") && isLocalRelay(relay))
    return { destination: "filter", filter };
  if (delivery.forwardedAs) return { destination: "other", filter: null };
  switch (daemon) {
    case "local":
    case "virtual":
      return { destination: "mailbox", filter: null };
    case "pipe":
      if (filter && !DOVECOT_NAME.test(relay.host)) return { destination: "filter", filter };
      return { destination: DOVECOT_NAME.test(relay.host) ? "mailbox" : "other", filter: null };
    case "lmtp": {
      if (
        delivery.session ||
        DOVECOT_NAME.test(relay.socket ?? relay.host) ||
        isLocalRecipient(delivery.to)
      ) {
        return { destination: "mailbox", filter: null };
      }
      return { destination: "external", filter: null };
    }
    case "smtp":
      return { destination: "external", filter: null };
    default:
      return { destination: "other", filter: null };
  }
}

/** The domain of an address, lower-cased; null for a bare local part (root). */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf("@");
  return at === -1 ? null : address.slice(at + 1).toLowerCase();
}

export const sameAddress = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase();
