// Lines of a retraining script (Dovecot IMAPSieve → `rspamc learn_spam|learn_ham`) that logs
// rspamc's output through logger, one line per output line. rspamc exits 0 even when Rspamd
// refuses the learn: only the text tells learned from refused.
import type { LearnClass } from "./controller.ts";

/** One rspamc output line with the key=value words a script put before it (login=, user=, rc=). */
export type LearnScriptLine = {
  learnClass: LearnClass | null;
  login: string | null;
  user: string | null;
  exitCode: number | null;
  output:
    | { kind: "header"; file: string }
    | { kind: "success"; ok: boolean }
    | { kind: "error"; text: string; refused: boolean }
    | { kind: "field"; name: string; value: string };
};

/** What one run of the script (one rspamc call) came to. */
export type LearnRun = {
  learnClass: LearnClass | null;
  login: string | null;
  user: string | null;
  exitCode: number | null;
  outcome: "learned" | "refused" | "failed" | "unknown";
  error: string | null;
};

// login=bob user=bob@example.com rc=0: error = "all learn conditions denied learning spam in default classifier";
const PREFIX = /^((?:[\w.-]+=\S*\s+)*[\w.-]+=\S*): (.*)$/s;
const WORD = /([\w.-]+)=(\S*)/g;
// Results for file: stdin (0 seconds)
const HEADER = /^Results for file: (.*?)(?: \([\d.]+ seconds\))?$/;
// success = true;   error = "...";   filename = "stdin";   scan_time = 0.0;
const FIELD = /^([a-z_]+) = "?(.*?)"?;$/;
// Refusals by a learn condition or an earlier learn, as rspamc prints Rspamd's answer.
const REFUSAL =
  /learn conditions denied|already in class|already learned|has been already learned|is skipped for/i;

// The fields rspamc prints for a learn besides success/error: with them a line of any program
// (whatever tag the script logs under) is recognised as rspamc output by its content.
const LEARN_FIELDS = new Set(["filename", "scan_time"]);

/** True when a line of any program is rspamc learn output (a retraining script's log line). */
export function isRspamcOutput(message: string): boolean {
  if (!(message.includes("Results for file: ") || message.endsWith(";"))) return false;
  const output = parseLearnScriptLine("", message)?.output;
  return output !== undefined && (output.kind !== "field" || LEARN_FIELDS.has(output.name));
}

/** Parses a learn script's line; null when its text is not rspamc learn output. */
export function parseLearnScriptLine(program: string, message: string): LearnScriptLine | null {
  const prefixed = PREFIX.exec(message);
  const words = new Map(prefixed ? [...(prefixed[1] as string).matchAll(WORD)].map((m) => [m[1], m[2]]) : []);
  const output = parseRspamcOutput(prefixed ? (prefixed[2] as string) : message);
  if (!output) return null;
  const rc = words.get("rc");
  return {
    learnClass: learnClassOf(program, output),
    login: words.get("login") ?? null,
    user: words.get("user") ?? null,
    exitCode: rc !== undefined && /^\d+$/.test(rc) ? Number(rc) : null,
    output,
  };
}

function parseRspamcOutput(text: string): LearnScriptLine["output"] | null {
  const header = HEADER.exec(text);
  if (header) return { kind: "header", file: header[1] as string };
  const field = FIELD.exec(text);
  if (!field) return null;
  const name = field[1] as string;
  const value = field[2] as string;
  if (name === "success") return { kind: "success", ok: value === "true" };
  if (name === "error") return { kind: "error", text: value, refused: REFUSAL.test(value) };
  return { kind: "field", name, value };
}

function learnClassOf(program: string, output: LearnScriptLine["output"]): LearnClass | null {
  const fromText = output.kind === "error" ? /learning (spam|ham)\b/.exec(output.text)?.[1] : undefined;
  if (fromText) return fromText as LearnClass;
  if (/spam/i.test(program)) return "spam";
  if (/ham|innocent/i.test(program)) return "ham";
  return null;
}

/** Folds the lines of one script run (same program and pid) into its outcome. */
export function summariseLearnRun(lines: LearnScriptLine[]): LearnRun {
  const first = lines[0];
  const error = lines.find((line) => line.output.kind === "error")?.output;
  const success = lines.find((line) => line.output.kind === "success")?.output;
  let outcome: LearnRun["outcome"] = "unknown";
  if (error?.kind === "error") outcome = error.refused ? "refused" : "failed";
  else if (success?.kind === "success") outcome = success.ok ? "learned" : "failed";
  return {
    learnClass: lines.map((line) => line.learnClass).find((c) => c !== null) ?? null,
    login: first?.login ?? null,
    user: first?.user ?? null,
    exitCode: first?.exitCode ?? null,
    outcome,
    error: error?.kind === "error" ? error.text : null,
  };
}

/** Groups learn-script lines into runs: one run per program and pid, in the order they started. */
export function learnRunsOf(
  lines: { program: string; pid: number | null; line: LearnScriptLine }[],
): LearnRun[] {
  const runs = new Map<string, LearnScriptLine[]>();
  for (const { program, pid, line } of lines) {
    const key = `${program}[${pid ?? ""}]`;
    const run = runs.get(key);
    if (run) run.push(line);
    else runs.set(key, [line]);
  }
  return [...runs.values()].map(summariseLearnRun);
}
