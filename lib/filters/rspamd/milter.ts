// The milter proxy's lines (worker rspamd_proxy): one SMTP connection from the MTA per milter
// session. They carry no queue id; their session ids differ from the scan's task id.

export type MilterEvent =
  /** The MTA opened a milter connection (from the MTA's address). */
  | { kind: "rspamd.milter-accepted"; mtaIp: string; mtaPort: number }
  /** The SMTP client the MTA is talking to, as the milter macros gave it. */
  | { kind: "rspamd.milter-client"; ip: string; port: number | null }
  | { kind: "rspamd.milter-finished" };

// proxy_accept_socket: accepted milter connection from 127.0.0.1 port 53724
const ACCEPTED = /^accepted milter connection from (\S+) port (\d+)$/;
// rspamd_milter_process_command: got connection from 127.0.0.2:47075   (IPv6: [2001:db8::1]:47075)
const CLIENT = /^got connection from (?:\[([^\]]+)\]|([^\s:]+))(?::(\d+))?$/;
const CLIENT_V6 = /^got connection from ([0-9a-fA-F:.]+)$/;

/** Parses a proxy/milter message; null when it is not one of the session lines above. */
export function parseMilter(message: string): MilterEvent | null {
  if (message === "finished milter connection") return { kind: "rspamd.milter-finished" };
  const accepted = ACCEPTED.exec(message);
  if (accepted)
    return { kind: "rspamd.milter-accepted", mtaIp: accepted[1] as string, mtaPort: Number(accepted[2]) };
  const client = CLIENT.exec(message);
  if (client)
    return {
      kind: "rspamd.milter-client",
      ip: (client[1] ?? client[2]) as string,
      port: client[3] === undefined ? null : Number(client[3]),
    };
  // A bare IPv6 address without brackets cannot be told from its port: kept whole.
  const v6 = CLIENT_V6.exec(message);
  if (v6) return { kind: "rspamd.milter-client", ip: v6[1] as string, port: null };
  return null;
}
