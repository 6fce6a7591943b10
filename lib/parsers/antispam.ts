import type { AntispamConfig, LogEvent } from "../core/events.ts";

// dovecot-antispam (Johannes Berg's plugin, Debian 2.0+20171229) debug lines, logged with
// vsyslog(LOG_DEBUG) under ident `imap` when antispam_debug_target = syslog. Format strings:
// antispam-plugin.c, antispam-storage-2.*.c, dspam.c, signature.c; real lines in
// tests/fixtures/real-lines/antispam.jsonl.

/** Parses a dovecot-antispam debug line, after its `antispam: ` prefix. */
export function parseAntispamMessage(text: string): LogEvent {
  let line = text.trim();
  // Old releases printed the prefix twice ("antispam: antispam: \"Junk\" is spam folder").
  if (line.startsWith("antispam: ")) line = line.slice(10).trimStart();
  if (line === "") return { kind: "unparsed", reason: "empty antispam line" };
  if (line.startsWith("mail copy: ")) return parseCopy(line);
  if (line.startsWith("mailbox_is_")) return parseMailboxCheck(line);
  if (line.startsWith("dspam error: ") || line.startsWith("executing "))
    return { kind: "antispam.error", text: line };
  if (isCommand(line)) return parseCommand(line);
  return parseConfig(line) ?? parseOtherError(line);
}

// /usr/bin/dspam --source=error --class=spam --signature=6b02610c291101861615497 --deliver= --client --user dave
function isCommand(line: string): boolean {
  if (line.charCodeAt(0) === 47 /* / */) return true;
  const space = line.indexOf(" ");
  return space > 0 && line.startsWith("--", space + 1) && line.includes("--class=");
}

function parseCommand(line: string): LogEvent {
  const words = line.split(" ").filter((word) => word !== "");
  const [binary, ...args] = words as [string, ...string[]];
  let dspamClass: string | undefined;
  let signature: string | undefined;
  let dspamUser: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg.startsWith("--class=")) dspamClass = arg.slice(8);
    else if (arg.startsWith("--signature=")) signature = arg.slice(12);
    else if (arg.startsWith("--user=")) dspamUser = arg.slice(7);
    else if (arg === "--user" && i + 1 < args.length) dspamUser = args[i + 1] as string;
  }
  if (dspamClass === undefined || signature === undefined) {
    return { kind: "unparsed", reason: "antispam command without --class= or --signature=" };
  }
  return { kind: "antispam.command", dspamClass, signature, dspamUser, binary, args };
}

// mail copy: src spam: 0, dst spam: 1, src unsure: 0
const COPY = /^mail copy: src spam: ([01]), dst spam: ([01]), src unsure: ([01])$/;
// mail copy: from trash: 0, to trash: 0
const TRASH = /^mail copy: from trash: ([01]), to trash: ([01])$/;

function parseCopy(line: string): LogEvent {
  const copy = COPY.exec(line);
  if (copy)
    return {
      kind: "antispam.copy",
      srcSpam: copy[1] === "1",
      dstSpam: copy[2] === "1",
      srcUnsure: copy[3] === "1",
    };
  const trash = TRASH.exec(line);
  if (trash) return { kind: "antispam.trash-check", fromTrash: trash[1] === "1", toTrash: trash[2] === "1" };
  return { kind: "unparsed", reason: "antispam mail copy line of unknown shape" };
}

// mailbox_is_spam(Junk): 1
const MAILBOX_CHECK = /^mailbox_is_(spam|trash|unsure)\((.*)\): ([01])$/s;

function parseMailboxCheck(line: string): LogEvent {
  const m = MAILBOX_CHECK.exec(line);
  if (!m) return { kind: "unparsed", reason: "antispam mailbox check of unknown shape" };
  return {
    kind: "antispam.mailbox-check",
    check: m[1] as "spam" | "trash" | "unsure",
    mailbox: m[2] as string,
    result: m[3] === "1",
  };
}

// Settings echoed as `<text> <value>`: the prefix and the antispam_* setting it reports.
const VALUE_SETTINGS: [prefix: string, setting: string][] = [
  ["dspam extra arg ", "antispam_dspam_args"],
  ["dspam binary set to ", "antispam_dspam_binary"],
  ["dspam result set to ", "antispam_dspam_result_header"],
  ["dspam result blacklist ", "antispam_dspam_result_blacklist"],
  ["policyd set to ", "antispam_policyd_enable"],
  ["policyd socket type set to ", "antispam_policyd_socket_type"],
  ["policyd socket set to ", "antispam_policyd_socket_name"],
  ["policyd address set to ", "antispam_policyd_address"],
  ["policyd port set to ", "antispam_policyd_port"],
];

// "Junk" is exact match spam folder   |   "INBOX.Spam*" is wildcard match spam folder   |   "Junk" is spam folder (1.x)
const FOLDER =
  /^"(.*)" is (?:(exact match|wildcard match|case-insensitive wildcard match) )?(spam|trash|unsure) folder$/s;
const FOLDER_SUFFIX: Record<string, string> = {
  "exact match": "",
  "wildcard match": "_pattern",
  "case-insensitive wildcard match": "_pattern_ignorecase",
};
// "$Junk" is spam keyword   (format string of antispam-plugin.c; no public sample)
const KEYWORD = /^"(.*)" is spam keyword$/s;
// signature header line is "X-DSPAM-Signature"
const SIGNATURE_HEADER = /^signature header line is "(.*)"$/s;
// plugin initialising (2.0-notgit)
const VERSION = /^(?:plugin initialising|antispam plugin intialising) ?(?:\((.*)\))?$/s;

// "Junk" is exact match spam folder   |   dspam extra arg --user   |   plugin initialising (2.0-notgit)
function parseConfig(line: string): AntispamConfig | null {
  const config = (setting: string, value?: string): AntispamConfig =>
    value === undefined
      ? { kind: "antispam.config", text: line, setting }
      : { kind: "antispam.config", text: line, setting, value };
  if (line.charCodeAt(0) === 34 /* " */) {
    const folder = FOLDER.exec(line);
    if (folder)
      return config(`antispam_${folder[3]}${FOLDER_SUFFIX[folder[2] ?? "exact match"] ?? ""}`, folder[1]);
    const keyword = KEYWORD.exec(line);
    if (keyword) return config("antispam_spam_keywords", keyword[1]);
    return null;
  }
  for (const [prefix, setting] of VALUE_SETTINGS) {
    if (!line.startsWith(prefix)) continue;
    const value = line.slice(prefix.length);
    const event = config(setting, value);
    if (setting === "antispam_dspam_args") event.extraArg = value;
    return event;
  }
  const header = SIGNATURE_HEADER.exec(line);
  if (header) return config("antispam_signature", header[1]);
  const version = VERSION.exec(line);
  if (version) return config("version", version[1]);
  if (line === "verbose debug enabled") return config("antispam_verbose_debug", "1");
  if (line === "allowing APPEND to spam folders") return config("antispam_allow_append_to_spam", "yes");
  if (line === "will silently move mails with missing signature")
    return config("antispam_signature_missing", "move");
  // no unsure folders
  const none = /^no (spam|trash|unsure) folders$/.exec(line);
  if (none) return config(`antispam_${none[1]}`, "");
  return null;
}

// The plugin's own failure texts (start-up, policyd socket, invalid settings).
const ERROR_TEXTS = [
  "Invalid verbose_debug setting",
  "selected invalid backend!",
  "no backend selected!",
  "invalid signature_missing setting ",
  "ERROR ",
  "Unix socket connection problem",
  "TCP socket connection problem",
  "Socket send data problem",
  "Too long ",
];

// selected invalid backend!   |   Unix socket connection problem. Function connect(). Error: No such file or directory.
function parseOtherError(line: string): LogEvent {
  for (const prefix of ERROR_TEXTS) {
    if (line.startsWith(prefix)) return { kind: "antispam.error", text: line };
  }
  return { kind: "unparsed", reason: "unknown antispam line" };
}
