// Runs `spamtrail report …` in-process with its own environment (SMTP settings) and captured output.
import { Readable, Writable } from "node:stream";
import { main } from "../../lib/cli/main.ts";

export async function runReportCli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(clean)) if (key.startsWith("SPAMTRAIL_")) delete clean[key];
  const code = await main(["report", ...argv], {
    stdout: sink((t) => {
      stdout += t;
    }),
    stderr: sink((t) => {
      stderr += t;
    }),
    stdin: Readable.from([]),
    env: { ...clean, SPAMTRAIL_TEST: "1", ...env },
  });
  return { code, stdout, stderr };
}
