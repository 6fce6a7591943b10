import type { DspamOpenFailed, DspamSummary, LogEvent, Unparsed } from "../core/events.ts";
import { isDspamErrorText } from "./dspam-syslog-errors.ts";

// DSPAM 3.10.2 syslogs errors (LOG_ERR/LOG_WARNING), daemon life-cycle lines and, with TrackSources,
// one LOG_INFO line per classified message; never a verdict. Format strings: src/language.h and
// dspam.c of ensc/dspam tag REL_3_10_2; real lines in tests/fixtures/real-lines/dspam.jsonl.

const OPEN_FAILED = "Unable to open file for reading: ";
const SUMMARY = "X-DSPAM-Result: ";

/** Parses the text of a `dspam[pid]:` syslog line (or of DSPAM's own `--with-logfile` file). */
export function parseDspamMessage(message: string): LogEvent {
  const text = message.trimEnd();
  switch (text.charCodeAt(0)) {
    case 85: // U
      if (text.startsWith(OPEN_FAILED)) return parseOpenFailed(text.slice(OPEN_FAILED.length));
      if (text === "Unable to find a valid signature. Aborting.") return { kind: "dspam.no-valid-signature" };
      break;
    case 83: // S
      if (text.startsWith("Signature retrieval for '")) return parseSignatureFailed(text);
      break;
    case 112: // p
      if (text.startsWith("process_message returned error ")) return parseProcessError(text);
      break;
    case 68: // D
      if (text.startsWith("Delivery agent returned exit code ")) return parseAgentExit(text);
      break;
    case 88: // X
      if (text.startsWith(SUMMARY)) return parseDspamSummary(text);
      break;
  }
  return parseDaemon(text) ?? parseSource(text) ?? parseKnownError(text);
}

/**
 * Splits a hash-driver path below `…/data/` into the DSPAM user and, for `<user>.sig/<SIG>.sig`,
 * the signature. Layouts: data/<user>/…, data/local/<user>/… and data/<domain>/<local>/… (domain
 * scale), data/<c>/<c>/<user>/… (large scale).
 */
// /var/spool/dspam/data/local/rjt/rjt.sig/4bbcf8a653512168214050.sig  →  rjt, 4bbcf8a653512168214050
export function dspamPathOwner(path: string): { dspamUser?: string; signature?: string } {
  const data = path.lastIndexOf("/data/");
  if (data === -1) return {};
  const parts = path.slice(data + 6).split("/");
  let index = -1;
  for (let i = 0; i + 1 < parts.length; i++) {
    const name = parts[i] as string;
    if (name !== "" && (parts[i + 1] as string).startsWith(`${name}.`)) {
      index = i;
      break;
    }
  }
  if (index === -1) return {};
  const owner = parts[index] as string;
  const first = parts[0] as string;
  let dspamUser = owner;
  if (index === 1 && first !== "local") dspamUser = `${owner}@${first}`;
  const sigDir = parts[index + 1] as string;
  const file = parts[index + 2];
  const signature =
    sigDir === `${owner}.sig` && file !== undefined && file.endsWith(".sig") && index + 3 === parts.length
      ? file.slice(0, -4)
      : undefined;
  return signature ? { dspamUser, signature } : { dspamUser };
}

// Unable to open file for reading: /var/spool/dspam/data/bob/bob.sig/6b026104291109951226246.sig: No such file or directory
function parseOpenFailed(rest: string): LogEvent {
  const colon = rest.lastIndexOf(": ");
  const path = colon === -1 ? rest : rest.slice(0, colon);
  const reason = colon === -1 ? "" : rest.slice(colon + 2);
  const event: DspamOpenFailed = { kind: "dspam.open-failed", path, reason };
  const owner = dspamPathOwner(path);
  if (owner.dspamUser !== undefined) event.dspamUser = owner.dspamUser;
  if (owner.signature !== undefined) event.signature = owner.signature;
  return event;
}

// Signature retrieval for '6b026104291109951226246' failed
const SIGNATURE_FAILED = /^Signature retrieval for '([^']*)' failed$/;

function parseSignatureFailed(text: string): LogEvent {
  const m = SIGNATURE_FAILED.exec(text);
  if (!m) return unparsed("DSPAM signature retrieval line of unknown shape");
  return { kind: "dspam.signature-failed", signature: m[1] as string };
}

// process_message returned error -5.  dropping message.
const PROCESS_ERROR =
  /^process_message returned error (-?\d{1,9})\. {1,2}(dropping|delivering)(?: message)?\.$/;

function parseProcessError(text: string): LogEvent {
  const m = PROCESS_ERROR.exec(text);
  if (!m) return unparsed("DSPAM process_message line of unknown shape");
  return {
    kind: "dspam.process-error",
    code: Number(m[1]),
    action: m[2] === "dropping" ? "dropping" : "delivering",
  };
}

// Delivery agent returned exit code 1: /bin/false
const AGENT_EXIT = /^Delivery agent returned exit code (-?\d{1,9}): ?(.*)$/s;

function parseAgentExit(text: string): LogEvent {
  const m = AGENT_EXIT.exec(text);
  if (!m) return unparsed("DSPAM delivery agent line of unknown shape");
  return { kind: "dspam.agent-exit", code: Number(m[1]), command: (m[2] as string).trim() };
}

// X-DSPAM-Result: alice@example.com; result="Spam"; class="Spam"; probability=1.0000; confidence=0.83; signature=6b025c9a108868754795807
const SUMMARY_LINE =
  /^X-DSPAM-Result: (.*?); result="([^"]*)"; class="([^"]*)"; probability=(-?[\d.]+); confidence=(-?[\d.]+); signature=(\S*)$/s;

/** Parses DSPAM's `--deliver=summary` / `--classify` output line (`X-DSPAM-Result: user; result="…"; …`). */
export function parseDspamSummary(text: string): DspamSummary | Unparsed {
  const m = SUMMARY_LINE.exec(text.trim());
  if (!m) return unparsed("X-DSPAM-Result line of unknown shape");
  const signature = m[6] as string;
  return {
    kind: "dspam.summary",
    dspamUser: m[1] as string,
    result: m[2] as string,
    resultClass: m[3] as string,
    probability: Number(m[4]),
    confidence: Number(m[5]),
    signature: signature === "" || signature === "N/A" ? null : signature,
  };
}

const DAEMON_STATES: Record<string, string> = {
  "Daemon process starting": "starting",
  "Daemon process exiting": "exiting",
  "Reloading configuration": "reloading",
  "Received signal. Waiting for processing threads to exit.": "stopping",
  "Processing threads terminated.": "threads-terminated",
  "Daemon mode failed to start": "failed",
};

// Daemon terminating on signal 15   |   Binding to 127.0.0.1:2424   |   Creating local domain socket /var/run/dspam/dspam.sock
function parseDaemon(text: string): LogEvent | null {
  const state = DAEMON_STATES[text];
  if (state) return { kind: "dspam.daemon", state };
  if (text.startsWith("Daemon terminating on signal ")) {
    const signal = Number(text.slice("Daemon terminating on signal ".length));
    return Number.isInteger(signal)
      ? { kind: "dspam.daemon", state: "terminating", signal }
      : { kind: "dspam.daemon", state: "terminating" };
  }
  if (text.startsWith("Binding to "))
    return { kind: "dspam.daemon", state: "binding", detail: text.slice(11) };
  if (text.startsWith("Creating local domain socket "))
    return { kind: "dspam.daemon", state: "socket", detail: text.slice(29) };
  return null;
}

const SOURCES = [
  ["spam detected from ", "spam"],
  ["innocent message from ", "innocent"],
  ["infected message from ", "virus"],
] as const;

// spam detected from 192.0.2.7   (TrackSources spam nonspam virus, dspam.c:3846-3863)
function parseSource(text: string): LogEvent | null {
  for (const [prefix, verdict] of SOURCES) {
    if (text.startsWith(prefix))
      return { kind: "dspam.source", verdict, clientIp: text.slice(prefix.length) };
  }
  return null;
}

// Unable to attach DSPAM context   |   Unable to determine the destination user   |   DSPAM agent misconfigured: aborting
function parseKnownError(text: string): LogEvent {
  if (text === "") return unparsed("empty dspam message");
  if (isDspamErrorText(text)) return { kind: "dspam.error", text };
  return unparsed("unknown dspam message");
}

function unparsed(reason: string): Unparsed {
  return { kind: "unparsed", reason };
}
