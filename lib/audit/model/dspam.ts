import { type DspamConf, dspamValue } from "../parse/dspam-conf.ts";
import type { Location } from "../types.ts";

/** Where DSPAM hands mail on after classifying it (dspam.conf DeliveryHost/Port/Proto or TrustedDeliveryAgent). */
export type DspamDelivery =
  | {
      kind: "host";
      proto: "smtp" | "lmtp";
      host: string;
      port: number | null;
      socket: boolean;
      loc: Location;
    }
  | { kind: "agent"; command: string; sendmail: boolean; loc: Location };

/** Whose dictionary DSPAM uses for a message it receives as a daemon over LMTP. */
export type UserShape = "full-address" | "local-part" | "fixed" | "as-typed" | "unknown";

export type DspamModel = {
  file: string;
  conf: DspamConf;
  delivery: DspamDelivery | null;
  /** ServerDomainSocketPath, or ServerHost:ServerPort: where the daemon listens for Postfix. */
  serverSocket: string | null;
  serverPort: number | null;
  /** The user DSPAM classifies under when Postfix hands it mail over LMTP. */
  lmtpUser: { shape: UserShape; why: string; loc: Location | null };
};

/** Reads what the audit needs of dspam.conf (see the comments in DSPAM's shipped dspam.conf). */
export function buildDspamModel(conf: DspamConf, file: string): DspamModel {
  const host = dspamValue(conf, "DeliveryHost");
  const port = dspamValue(conf, "DeliveryPort");
  const proto = dspamValue(conf, "DeliveryProto");
  const agent = dspamValue(conf, "TrustedDeliveryAgent");
  let delivery: DspamDelivery | null = null;
  if (host?.value) {
    delivery = {
      kind: "host",
      proto: proto?.value.toLowerCase() === "smtp" ? "smtp" : "lmtp",
      host: host.value,
      // DeliveryPort defaults to 24 (LMTP) when a TCP DeliveryHost is given.
      port: host.value.startsWith("/") ? null : Number(port?.value ?? 24) || 24,
      socket: host.value.startsWith("/"),
      loc: host.loc,
    };
  } else if (agent?.value) {
    delivery = {
      kind: "agent",
      command: agent.value,
      sendmail: /sendmail/.test(agent.value),
      loc: agent.loc,
    };
  }
  const serverParameters = dspamValue(conf, "ServerParameters");
  const strip = dspamValue(conf, "StripRcptDomain");
  const userArg = serverParameters ? /(?:--user|-d)\s+(\S+)/.exec(serverParameters.value) : null;
  let lmtpUser: DspamModel["lmtpUser"];
  if (userArg?.[1] && userArg[1] !== "%u") {
    lmtpUser = {
      shape: "fixed",
      why: `ServerParameters names --user ${userArg[1]}: every message is judged under that one user`,
      loc: serverParameters?.loc ?? null,
    };
  } else if (strip && /^(on|yes|true)$/i.test(strip.value)) {
    lmtpUser = {
      shape: "local-part",
      why: "StripRcptDomain on: DSPAM judges each message under the recipient's local part",
      loc: strip.loc,
    };
  } else {
    lmtpUser = {
      shape: "full-address",
      why: "DSPAM judges each message under the full recipient address Postfix gives it (RCPT TO)",
      loc: null,
    };
  }
  const socket = dspamValue(conf, "ServerDomainSocketPath");
  return {
    file,
    conf,
    delivery,
    serverSocket: socket?.value ?? null,
    serverPort: Number(dspamValue(conf, "ServerPort")?.value ?? 0) || null,
    lmtpUser,
  };
}
