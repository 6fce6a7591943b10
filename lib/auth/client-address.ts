import { BlockList, isIP } from "node:net";
import type { HeaderBag } from "./origin.ts";

/**
 * Set on every request by Spamtrail's HTTP server (lib/cli/dashboard-server.mjs) to the address of
 * the peer that sent it, replacing whatever a client put there: Next gives the app no other way to
 * know it.
 */
export const PEER_HEADER = "x-spamtrail-peer";

/** Whose X-Forwarded-For is believed: nobody's, the peer's (SPAMTRAIL_TRUST_PROXY=1), or listed proxies'. */
export type ProxyTrust = { kind: "none" } | { kind: "peer" } | { kind: "list"; proxies: BlockList };

/** A SPAMTRAIL_TRUST_PROXY that is neither 1 nor a list of addresses. */
export class ProxyTrustError extends Error {
  override name = "ProxyTrustError";
}

// "::ffff:127.0.0.1" (an IPv4 client of a server listening on ::) is 127.0.0.1.
const plain = (address: string) => address.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");

const family = (address: string) => (isIP(address) === 6 ? "ipv6" : "ipv4");

/**
 * Parses SPAMTRAIL_TRUST_PROXY: unset, empty or 0 trusts nobody; 1 trusts whatever peer connects to
 * be the one reverse proxy (on this machine, the dashboard listening on 127.0.0.1 only); otherwise
 * a comma- or space-separated list of proxy addresses and networks (192.0.2.10, 10.0.0.0/8, ::1).
 */
export function parseProxyTrust(value: string | undefined): ProxyTrust {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0") return { kind: "none" };
  if (text === "1") return { kind: "peer" };
  const proxies = new BlockList();
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const [address = "", bits, ...rest] = entry.split("/");
    const ip = plain(address);
    const prefix = Number(bits);
    const max = isIP(ip) === 6 ? 128 : 32;
    if (!isIP(ip) || rest.length > 0 || (bits !== undefined && !(/^\d+$/.test(bits) && prefix <= max)))
      throw new ProxyTrustError(
        `SPAMTRAIL_TRUST_PROXY must be 1 or proxy addresses (192.0.2.10, 10.0.0.0/8, ::1), got '${entry}'`,
      );
    if (bits === undefined) proxies.addAddress(ip, family(ip));
    else proxies.addSubnet(ip, prefix, family(ip));
  }
  return { kind: "list", proxies };
}

let cached: { value: string | undefined; trust: ProxyTrust } | undefined;

/** SPAMTRAIL_TRUST_PROXY of this process; a bad value trusts nobody (the server says why at start). */
export function proxyTrustFromEnv(env: NodeJS.ProcessEnv = process.env): ProxyTrust {
  const value = env.SPAMTRAIL_TRUST_PROXY;
  if (cached && cached.value === value) return cached.trust;
  let trust: ProxyTrust;
  try {
    trust = parseProxyTrust(value);
  } catch {
    trust = { kind: "none" };
  }
  cached = { value, trust };
  return trust;
}

const listed = (proxies: BlockList, address: string) =>
  isIP(address) > 0 && proxies.check(address, family(address));

/**
 * The client's address, for the login rate limit and the audit: the peer that sent the request,
 * unless that peer is a trusted proxy; then the last X-Forwarded-For address (nginx's
 * $proxy_add_x_forwarded_for appends the one it saw), passing over listed proxies in a chain.
 * Addresses before those were written by whoever sent the request and are never believed.
 */
export function clientAddress(headers: HeaderBag, trust: ProxyTrust = proxyTrustFromEnv()): string {
  const peer = plain(headers.get(PEER_HEADER) ?? "") || null;
  if (trust.kind === "none") return peer ?? "unknown";
  if (trust.kind === "list" && peer !== null && !listed(trust.proxies, peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map(plain).filter(Boolean);
  if (trust.kind === "list")
    while (hops.length > 1 && listed(trust.proxies, hops.at(-1) as string)) hops.pop();
  return hops.at(-1) ?? peer ?? "unknown";
}
