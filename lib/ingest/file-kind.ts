import path from "node:path";

/** How the lines of a file are framed. */
export type FileKind = "syslog" | "dovecot" | "dspam-system" | "dspam-user" | "rspamd";

export const FILE_KINDS: readonly FileKind[] = ["syslog", "dovecot", "dspam-system", "dspam-user", "rspamd"];

const ROTATION_SUFFIX = /(\.\d+)?(\.gz)?$/;

/**
 * The DSPAM user a per-user log belongs to, from its path: data/<user>/<user>.log (default build),
 * data/local/<user>/<user>.log (users without a domain) and data/<domain>/<local>/<local>.log
 * (Debian's domain scale).
 */
export function dspamUserFromPath(file: string): string | undefined {
  const base = path.basename(file).replace(ROTATION_SUFFIX, "");
  if (!base.endsWith(".log")) return undefined;
  const name = base.slice(0, -".log".length);
  if (name === "" || name === "system") return undefined;
  const parent = path.basename(path.dirname(file));
  const grand = path.basename(path.dirname(path.dirname(file)));
  if (parent === name && grand.includes(".") && !name.includes("@") && grand !== "data")
    return `${name}@${grand}`;
  return name;
}

const ROTATION = /(\.\d+|[-.]\d{8}(\d{2})?)?(\.gz|\.bz2|\.xz)?$/;

/** The stream a file belongs to: its path without logrotate's suffix (mail.log.2.gz, mail.log-20261122 → mail.log). */
export function streamOf(file: string): string {
  return file === "-" ? "-" : file.replace(ROTATION, "");
}

/** Orders rotations oldest first: mail.log.3.gz, mail.log.2.gz, mail.log.1, mail.log. */
export function rotationAge(file: string): number {
  const numbered = /\.(\d+)(\.gz|\.bz2|\.xz)?$/.exec(file);
  if (numbered && (numbered[1] as string).length < 8) return Number(numbered[1]);
  const dated = /[-.](\d{8})(\d{2})?(\.gz|\.bz2|\.xz)?$/.exec(file);
  return dated ? 1e9 - Number(dated[1]) : 0;
}
