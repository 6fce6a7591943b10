import type { DspamClassLetter, DspamClassName, DspamRecord, Unparsed } from "../core/events.ts";
import { normaliseMessageId } from "./message-id.ts";

const CLASS_NAMES: Record<DspamClassLetter, DspamClassName> = {
  S: "spam",
  I: "innocent",
  W: "whitelisted",
  V: "virus",
  A: "blacklisted",
  O: "blocklisted",
  M: "retrained-spam",
  F: "retrained-innocent",
  C: "corpus",
  N: "inoculation",
  E: "error",
  U: "unknown",
};

/** The letter DSPAM logs for a class name (Verdict.result keeps the name); null for another filter's word. */
export function dspamClassLetter(className: string): DspamClassLetter | null {
  const found = Object.entries(CLASS_NAMES).find(([, name]) => name === className);
  return found ? (found[0] as DspamClassLetter) : null;
}

const isClassLetter = (value: string): value is DspamClassLetter => value in CLASS_NAMES;
const NONE = "<None Specified>";
const orNull = (value: string) => (value === NONE ? null : value);

/**
 * Parses one record of DSPAM's system.log (9 TAB-separated fields: epoch, class, From, signature,
 * Subject, seconds, user, status, Message-Id) or of a per-user <user>.log (7 fields: no seconds, no
 * user; the user comes from the file's path).
 */
// 1795318016	I	Martin Keller <martin.keller@partner.example.org>	6b026100291101642720778	Minutes from Tuesday's project meeting	0.001495	alice@example.com	Delivered	<20261122032656.b32f2b3f2c.b01@partner.example.org>
export function parseDspamRecord(
  text: string,
  file: "system" | "user",
  userFromPath?: string,
): DspamRecord | Unparsed {
  const fields = text.split("\t");
  const want = file === "system" ? 9 : 7;
  if (fields.length < want) {
    return {
      kind: "unparsed",
      reason: `DSPAM ${file} log record with ${fields.length} fields, expected ${want}`,
    };
  }
  // The Message-Id is written unsanitised and may itself hold a TAB: it takes whatever is left.
  const head = fields.slice(0, want - 1) as string[];
  const messageIdRaw = fields.slice(want - 1).join("\t");
  const [epochText, letter, from, signature, subject] = head as [string, string, string, string, string];
  if (!/^\d{1,12}$/.test(epochText)) return { kind: "unparsed", reason: "DSPAM record without epoch" };
  if (!isClassLetter(letter)) return { kind: "unparsed", reason: `unknown DSPAM class letter ${letter}` };
  const dspamUser = file === "system" ? (head[6] as string) : userFromPath;
  if (!dspamUser)
    return { kind: "unparsed", reason: "DSPAM user log record without a user (file path unknown)" };
  const seconds = file === "system" ? Number(head[5]) : undefined;
  return {
    kind: "dspam.record",
    file,
    epoch: Number(epochText),
    dspamClass: letter,
    className: CLASS_NAMES[letter],
    from: orNull(from),
    signature: signature === "" ? null : signature,
    subject: orNull(subject),
    ...(seconds !== undefined && Number.isFinite(seconds) ? { processingSeconds: seconds } : {}),
    dspamUser,
    status: file === "system" ? (head[7] as string) : (head[5] as string),
    messageId: normaliseMessageId(messageIdRaw),
    messageIdRaw,
  };
}

/** True when a line looks like a DSPAM log record (epoch TAB class-letter TAB …); returns its field count. */
export function dspamRecordFields(text: string): number {
  return /^\d{9,12}\t[A-Z]\t/.test(text) ? text.split("\t").length : 0;
}
