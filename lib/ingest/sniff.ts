import { parseRspamdFileLine } from "../filters/rspamd/log-line.ts";
import { dspamRecordFields } from "../parsers/dspam-record.ts";
import { parseEnvelope } from "../syslog/envelope.ts";
import { dspamUserFromPath, type FileKind } from "./file-kind.ts";

export type Sniffed =
  | { verdict: "log"; kind: FileKind; dspamUser?: string }
  | { verdict: "binary" }
  | { verdict: "empty" }
  | { verdict: "not-a-log" };

const SAMPLE_LINES = 20;

/** Decides from a file's first bytes (and name) whether it is a log, and of which kind. */
export function sniff(head: Buffer, file: string): Sniffed {
  if (head.length === 0) return { verdict: "empty" };
  // Runs of NUL bytes happen in real logs (a crash while the file was extended): they do not make
  // a file binary; other control bytes do.
  const body = Buffer.from(head.subarray(0, 8192).filter((byte) => byte !== 0)).subarray(0, 4096);
  if (body.length === 0) return { verdict: "binary" };
  let control = 0;
  for (const byte of body) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) control += 1;
  }
  if (control > body.length * 0.02) return { verdict: "binary" };

  const lines = body
    .toString("utf8")
    .split("\n")
    .slice(0, SAMPLE_LINES)
    .filter((line) => line.trim() !== "");
  let syslog = 0;
  let dovecot = 0;
  let system = 0;
  let user = 0;
  let rspamd = 0;
  for (const line of lines) {
    const fields = dspamRecordFields(line);
    if (fields >= 9) system += 1;
    else if (fields >= 7) user += 1;
    else if (parseRspamdFileLine(line)) rspamd += 1;
    else {
      const envelope = parseEnvelope(line);
      if (envelope?.format === "dovecot-logfile" || envelope?.format === "tai64n-dovecot-logfile")
        dovecot += 1;
      else if (envelope) syslog += 1;
    }
  }
  const best = Math.max(syslog, dovecot, system, user, rspamd);
  if (best === 0) return { verdict: "not-a-log" };
  if (best === rspamd) return { verdict: "log", kind: "rspamd" };
  if (best === system) return { verdict: "log", kind: "dspam-system" };
  if (best === user) {
    const dspamUser = dspamUserFromPath(file);
    return dspamUser
      ? { verdict: "log", kind: "dspam-user", dspamUser }
      : { verdict: "log", kind: "dspam-system" };
  }
  return { verdict: "log", kind: best === dovecot ? "dovecot" : "syslog" };
}
