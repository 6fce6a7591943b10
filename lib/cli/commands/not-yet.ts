import type { Command } from "../command.ts";

/** A command whose issue is still open: it explains that, so `--help` and the command list stay true. */
export function notYet(name: string, summary: string, usage: string): Command {
  return {
    name,
    summary,
    usage,
    options: {},
    positionals: { min: 0, max: Number.POSITIVE_INFINITY },
    async run(_args, io) {
      io.stderr.write(`spamtrail ${name}: not available in this version yet\n`);
      return 1;
    },
  };
}
