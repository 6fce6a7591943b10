// Runs `spamtrail report …` in-process with its own environment (SMTP settings) and captured output.
import { runCli } from "../helpers/run-cli.ts";

export function runReportCli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(clean)) if (key.startsWith("SPAMTRAIL_")) delete clean[key];
  return runCli(["report", ...argv], "", { ...clean, SPAMTRAIL_TEST: "1", ...env });
}
