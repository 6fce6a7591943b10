// Types of lib/cli/compiled-cli.mjs (plain JavaScript: it runs before anything can load TypeScript).

/** The checkout: two levels above lib/cli/compiled-cli.mjs. */
export const ROOT: string;
/** Where compiled copies are kept. */
export function cacheDir(env?: NodeJS.ProcessEnv): string;
/** The directory of an up-to-date compiled copy, or null. */
export function currentBuild(dir?: string): string | null;
/** Compiles the CLI into a new directory of `dir` and returns it. */
export function compileCli(dir?: string): Promise<string>;
/** Whether a source may have been saved while it was being compiled ([size, mtimeMs] before and after). */
export function savedDuringCompile(
  before: readonly [number, number] | undefined,
  after: readonly [number, number],
  started: number,
  finished: number,
): boolean;
/** Whether a source's time (ms) is the one recorded, give or take what putting a file back through a Date changes. */
export function sameTime(now: number, recorded: number): boolean;
/** The CLI's module (lib/cli/main.ts): compiled, or through tsx when no compiled copy can be had. */
export function loadCli(env?: NodeJS.ProcessEnv): Promise<typeof import("./main.ts")>;
