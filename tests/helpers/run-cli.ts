import { Readable, Writable } from "node:stream";
import { main } from "../../lib/cli/main.ts";

/** Runs the CLI in-process with captured output (and, when given, its own environment). */
export async function runCli(
  argv: string[],
  stdin = "",
  env: NodeJS.ProcessEnv = process.env,
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
  const code = await main(argv, {
    stdout: sink((t) => {
      stdout += t;
    }),
    stderr: sink((t) => {
      stderr += t;
    }),
    stdin: Readable.from([Buffer.from(stdin)]),
    env,
  });
  return { code, stdout, stderr };
}
