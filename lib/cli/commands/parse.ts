import path from "node:path";
import { decodeLine } from "../../ingest/decode-line.ts";
import { InputError } from "../../ingest/discover.ts";
import type { FileKind } from "../../ingest/file-kind.ts";
import { type OpenedInput, openFile, openStdin } from "../../ingest/open-input.ts";
import { readLines } from "../../ingest/read-lines.ts";
import { sniff } from "../../ingest/sniff.ts";
import { YearResolver } from "../../syslog/year-resolver.ts";
import { type Command, flag, yearOption } from "../command.ts";

export const parseCommand: Command = {
  name: "parse",
  summary: "Print what Spamtrail understands of each line, without touching the database.",
  usage: "spamtrail parse [--json] [--year YYYY] PATH|-",
  help: `
One output line per input line. With --json, one JSON object per line:
{"n", "ts" (ISO 8601 UTC), "host", "program", "pid", "kind", …the event's fields}.
The README lists every kind and field.`,
  options: {
    json: { type: "boolean", description: "one JSON object per line" },
    year: { type: "string", value: "YYYY", description: "year of the first line when dates have no year" },
  },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const year = yearOption(args);
    const given = args.positionals[0] as string;
    let input: OpenedInput;
    try {
      input = given === "-" ? await openStdin(io.stdin as never) : await openFile(path.resolve(given));
    } catch (error) {
      throw new InputError(
        `${given}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      );
    }
    const sniffed = sniff(input.head, input.path);
    if (sniffed.verdict === "binary") throw new InputError(`${given}: binary file, not a log`);
    const kind: FileKind = sniffed.verdict === "log" ? sniffed.kind : "syslog";
    const dspamUser = sniffed.verdict === "log" ? sniffed.dspamUser : undefined;
    const years = new YearResolver(input.mtime, year);
    const json = flag(args, "json");
    for await (const batch of readLines(input.read(0))) {
      let out = "";
      for (const raw of batch) {
        if (raw.text.trim() === "" && kind === "dspam-user") continue;
        const line = decodeLine(raw.text, kind, years, dspamUser);
        const ts = line.ts === null ? null : new Date(line.ts).toISOString();
        const { kind: eventKind, ...fields } = line.event;
        if (json) {
          out += `${JSON.stringify({ n: raw.lineNo, ts, host: line.host, program: line.program, pid: line.pid, kind: eventKind, ...fields })}\n`;
        } else {
          const tag =
            line.program === null ? "-" : `${line.program}${line.pid === null ? "" : `[${line.pid}]`}`;
          const detail = Object.entries(fields)
            .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
            .join(" ");
          out += `${raw.lineNo}\t${ts ?? "-"}\t${line.host ?? "-"}\t${tag}\t${eventKind}${detail ? `\t${detail}` : ""}\n`;
        }
      }
      if (!io.stdout.write(out)) await new Promise((resolve) => io.stdout.once("drain", resolve));
    }
    if (input.damage) {
      io.stderr.write(`spamtrail parse: ${given}: ${input.damage}\n`);
      return 1;
    }
    return 0;
  },
};
