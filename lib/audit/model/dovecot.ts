import { type DovecotConf, type DovecotSetting, dovecotValue } from "../parse/dovecot-conf.ts";
import type { SieveScript } from "../parse/sieve.ts";
import type { UserShape } from "./dspam.ts";

export type DovecotModel = {
  conf: DovecotConf;
  /** The main file (dovecot.conf or doveconf -n output): where new top-level settings go. */
  file: string;
  lineCount: number;
  antispamBackend: DovecotSetting | undefined;
  dspamArgs: DovecotSetting | undefined;
  spamFolders: DovecotSetting | undefined;
  usernameFormat: DovecotSetting | undefined;
  defaultRealm: DovecotSetting | undefined;
  /** Dovecot's LMTP listeners: unix socket paths and TCP ports. */
  lmtpSockets: string[];
  lmtpPorts: number[];
  sieves: (SieveScript & { file: string })[];
};

/** Reads the Dovecot settings the audit needs; plugin settings live in `plugin { }` (also inside a protocol). */
export function buildDovecotModel(
  conf: DovecotConf,
  file: string,
  lineCount: number,
  sieves: DovecotModel["sieves"],
): DovecotModel {
  const plugin = (key: string) =>
    conf.settings.findLast((s) => s.key === key && s.scope.at(-1) === "plugin") ?? undefined;
  const lmtpSockets: string[] = [];
  const lmtpPorts: number[] = [];
  for (const s of conf.settings) {
    if (s.scope[0] !== "service lmtp") continue;
    const listener = s.scope[1] ?? "";
    if (listener.startsWith("unix_listener ")) {
      const socket = listener.slice("unix_listener ".length);
      if (!lmtpSockets.includes(socket)) lmtpSockets.push(socket);
    }
    if (listener.startsWith("inet_listener") && s.key === "port") lmtpPorts.push(Number(s.value));
  }
  return {
    conf,
    file,
    lineCount,
    antispamBackend: plugin("antispam_backend"),
    dspamArgs: plugin("antispam_dspam_args"),
    spamFolders: plugin("antispam_spam"),
    usernameFormat: dovecotValue(conf, "auth_username_format"),
    defaultRealm: dovecotValue(conf, "auth_default_realm"),
    lmtpSockets,
    lmtpPorts,
    sieves,
  };
}

/** The `--user` argument dovecot-antispam passes to dspam (antispam_dspam_args is `;`-separated). */
export function trainingUserArgument(args: string): { template: string | null; index: number } {
  const parts = args.split(";");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]?.trim() ?? "";
    if (part === "--user") return { template: parts[i + 1]?.trim() ?? "", index: i + 1 };
    if (part.startsWith("--user=")) return { template: part.slice("--user=".length), index: i };
  }
  return { template: null, index: -1 };
}

/**
 * What a Dovecot user-variable template yields for logins with and without a domain.
 * auth_username_format (default %Lu) rewrites the login first; auth_default_realm appends a domain
 * to logins without one; then %u is the whole name, %n its user part, %d its domain.
 */
export function trainingShape(
  template: string,
  model: Pick<DovecotModel, "usernameFormat" | "defaultRealm">,
): { shape: UserShape; why: string } {
  const realm = model.defaultRealm?.value.trim() ?? "";
  const format = model.usernameFormat?.value ?? "%Lu";
  const formatStripsDomain =
    /%L?n|%\{(?:lower:)?username\}/.test(format) && !/%L?d|%\{(?:lower:)?domain\}/.test(format);
  const full = /%L?u|%\{(?:lower:)?user\}/.test(template);
  const userPart = /%L?n|%\{(?:lower:)?username\}/.test(template);
  const withDomain = /@/.test(template) || /%L?d/.test(template);
  if (full) {
    if (formatStripsDomain)
      return {
        shape: "local-part",
        why: `auth_username_format = ${format} drops the domain, so %u has none`,
      };
    if (realm !== "")
      return {
        shape: "full-address",
        why: `auth_default_realm = ${realm} gives logins without a domain one`,
      };
    return {
      shape: "as-typed",
      why: "%u is the login as the user typed it: users who log in without the domain get a DSPAM user without it",
    };
  }
  if (userPart && withDomain) {
    if (/%L?d/.test(template) && realm === "" && !/@[^%]/.test(template))
      return { shape: "as-typed", why: "%d is empty for logins without a domain" };
    return { shape: "full-address", why: `${template} always names user@domain` };
  }
  if (userPart) return { shape: "local-part", why: `${template} is the login without its domain` };
  return { shape: "fixed", why: `${template} is the same DSPAM user for everybody` };
}
