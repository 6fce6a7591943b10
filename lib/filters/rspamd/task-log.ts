// The task log line Rspamd writes once per scanned message (rspamd_task_write_log, the default
// `log_format`): who sent it, the action, the score, every symbol, the recipients.

/** One symbol with its score (null when the log format writes names only) and options (BAYES_*: the probability). */
export type RspamdSymbol = { name: string; score: number | null; options: string[] };

/** A parsed task log line; optional fields are null when the line does not carry them. */
export type RspamdScan = {
  messageId: string | null;
  /** Postfix queue id (milter mode); the join to the maillog. */
  qid: string | null;
  ip: string | null;
  /** SASL user of the SMTP session: written only for authenticated mail. */
  user: string | null;
  from: string | null;
  /** The metric the result belongs to ("default"). */
  metric: string;
  /** T: the action is a spam action, F: it is not, S: the scan was skipped or forced (pre-result). */
  spamFlag: "T" | "F" | "S";
  /** As written: "no action", "add header", "rewrite subject", "greylist", "soft reject", "reject"… */
  action: string;
  score: number | null;
  /** The score of the highest configured action (usually reject); null when written as nan. */
  requiredScore: number | null;
  symbols: RspamdSymbol[];
  /** BAYES_SPAM or BAYES_HAM with its probability (percent), when the classifier gave a result. */
  bayes: { symbol: "BAYES_SPAM" | "BAYES_HAM"; score: number | null; probability: number | null } | null;
  size: number | null;
  /** SMTP RCPTs as the MTA gave them to Rspamd (before Postfix's alias expansion). */
  rcpts: string[];
  mimeRcpts: string[];
  settingsId: string | null;
  /** Why a pre-result forced the action (`forced: reject "Gtube pattern"; score=15.00 (set by GTUBE)`). */
  forced: string | null;
};

// (default: F (no action): [3.50/15.00] [BAYES_SPAM(3.60){95.74%;},MIME_GOOD(-0.10){text/plain;}])
const METRIC = /\((\w+): ([TFS]) \(([^()]+)\): \[([-\w.]+)\/([-\w.]+)\] \[/;
// BAYES_SPAM(3.60){95.74%;}   MIME_GOOD(-0.10){text/plain;}   FROM_NO_DN(0.00){}   R_DUMMY (a
// log_format of `$symbols` alone writes bare names)
const SYMBOL = /^([A-Za-z0-9_]+)(?:\((-?[\d.]+|nan|-?inf)\))?(?:\{(.*)\})?$/s;
const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/** Parses the text of an rspamd_task_write_log line; null when it has no metric result. */
export function parseTaskLog(message: string): RspamdScan | null {
  const metric = METRIC.exec(message);
  if (!metric) return null;
  const head = message.slice(0, metric.index);
  const symbolsStart = metric.index + metric[0].length;
  const symbolsEnd = message.lastIndexOf("])");
  if (symbolsEnd < symbolsStart) return null;
  const tail = message.slice(symbolsEnd + 2);
  const symbols = parseSymbols(message.slice(symbolsStart, symbolsEnd));
  return {
    messageId: field(head, /(?:^|, )id: <([^<>]*)>/),
    qid: field(head, /(?:^|, )qid: <([^<>]*)>/),
    ip: field(head, /(?:^|, )ip: ([^,\s]+),/),
    user: field(head, /(?:^|, )user: ([^,]+),/),
    from: field(head, /(?:^|, )from: <([^<>]*)>/),
    metric: metric[1] as string,
    spamFlag: metric[2] as "T" | "F" | "S",
    action: metric[3] as string,
    score: numberOrNull(metric[4] as string),
    requiredScore: numberOrNull(metric[5] as string),
    symbols,
    bayes: bayesOf(symbols),
    size: intOrNull(field(tail, /(?:^|, )len: (\d+)/)),
    rcpts: addressList(field(tail, /(?:^|, )rcpts: <([^>]*)>/)),
    mimeRcpts: addressList(field(tail, /(?:^|, )mime_rcpts?: <([^>]*)>/)),
    settingsId: field(tail, /(?:^|, )settings(?:_id| id): ([^,\s]+)/i),
    forced: field(tail, /(?:^|, )forced: (.*)$/),
  };
}

function parseSymbols(list: string): RspamdSymbol[] {
  return splitTopLevel(list).flatMap((item) => {
    const m = SYMBOL.exec(item.trim());
    if (!m) return [];
    return [
      {
        name: m[1] as string,
        score: m[2] === undefined ? null : numberOrNull(m[2]),
        options: m[3] === undefined ? [] : m[3].split(";").filter((option) => option !== ""),
      },
    ];
  });
}

// Options may hold commas (`{a,b;}`): split the symbol list only outside braces.
function splitTopLevel(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i += 1) {
    const c = list[i];
    if (c === "{") depth += 1;
    else if (c === "}" && depth > 0) depth -= 1;
    else if (c === "," && depth === 0) {
      items.push(list.slice(start, i));
      start = i + 1;
    }
  }
  if (start < list.length) items.push(list.slice(start));
  return items;
}

function bayesOf(symbols: RspamdSymbol[]): RspamdScan["bayes"] {
  const symbol = symbols.find((s) => s.name === "BAYES_SPAM" || s.name === "BAYES_HAM");
  if (!symbol) return null;
  const percent = symbol.options.map((option) => PERCENT.exec(option)).find((m) => m !== null);
  return {
    symbol: symbol.name as "BAYES_SPAM" | "BAYES_HAM",
    score: symbol.score,
    probability: percent ? Number(percent[1]) : null,
  };
}

// rcpts: <root@example.com,admins@example.com>  (one pair of brackets around the whole list)
const addressList = (text: string | null) =>
  text === null
    ? []
    : text
        .split(",")
        .map((address) => address.trim().replace(/^<|>$/g, ""))
        .filter(Boolean);

function field(text: string, pattern: RegExp): string | null {
  const m = pattern.exec(text);
  return m ? (m[1] as string).trim() : null;
}

function numberOrNull(text: string): number | null {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

const intOrNull = (text: string | null) => (text === null ? null : Number(text));
