import type { Location } from "../types.ts";

/** A `fileinto` guarded by a spam header test: where the script files the filter's spam. */
export type SieveSpamRule = { header: string; mailbox: string; loc: Location };
export type SieveScript = { spamRules: SieveSpamRule[]; fileintos: { mailbox: string; loc: Location }[] };

// `if header :contains "X-DSPAM-Result" "Spam" {` … `fileinto :create "Junk";`
const HEADER_TEST = /header\s+(?::\w+\s+)*"([^"]+)"/i;
const FILEINTO = /fileinto\s+(?::\w+\s+)*"([^"]+)"/i;

/**
 * Reads what Spamtrail needs of a sieve script: the folders it files into and which of them follow a
 * test on a spam header (X-DSPAM-Result, X-Spam-Flag). Not a full sieve parser: tests and actions
 * are matched within the `if` block that holds them.
 */
export function parseSieve(text: string, file: string): SieveScript {
  const out: SieveScript = { spamRules: [], fileintos: [] };
  let header: string | null = null;
  let depth = 0;
  let headerDepth = -1;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "");
    const loc = { file, line: index + 1, endLine: index + 1 };
    const test = HEADER_TEST.exec(line);
    if (test?.[1] && /spam/i.test(test[1])) {
      header = test[1];
      headerDepth = depth;
    }
    const into = FILEINTO.exec(line);
    if (into?.[1]) {
      out.fileintos.push({ mailbox: into[1], loc });
      if (header && depth > headerDepth) out.spamRules.push({ header, mailbox: into[1], loc });
    }
    for (const ch of line) {
      if (ch === "{") depth += 1;
      if (ch === "}") {
        depth -= 1;
        if (depth <= headerDepth) header = null;
      }
    }
  });
  return out;
}
