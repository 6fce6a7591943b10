// npm run bench:parse [-- --lines 1000000]
// Parse-only speed: envelope + event for every line of a generated maillog, nothing stored.
import { createReadStream } from "node:fs";
import { decodeLine } from "../../lib/ingest/decode-line.ts";
import { readLines } from "../../lib/ingest/read-lines.ts";
import { YearResolver } from "../../lib/syslog/year-resolver.ts";
import { argument, fmt, generatedLogs } from "./generated-logs.ts";

const logs = generatedLogs(Number(argument("lines", "1000000")));
const runs = Number(argument("runs", "3"));

// Read the file into memory first: this measures parsing, not the disk.
const batches = [];
for await (const batch of readLines(createReadStream(logs.mailLog, { highWaterMark: 1 << 20 })))
  batches.push(batch);

for (let run = 1; run <= runs; run += 1) {
  const years = new YearResolver(new Date(), 2024);
  let count = 0;
  let unparsed = 0;
  const started = performance.now();
  for (const batch of batches) {
    for (const line of batch) {
      const kind = decodeLine(line.text, "syslog", years, undefined).event.kind;
      if (kind === "unparsed" || kind === "unrecognised") unparsed += 1;
      count += 1;
    }
  }
  const ms = performance.now() - started;
  console.log(
    `run ${run}: ${fmt(count)} lines in ${(ms / 1000).toFixed(2)} s: ${fmt((count / ms) * 1000)} lines/s (${fmt(unparsed)} unparsed)`,
  );
}
