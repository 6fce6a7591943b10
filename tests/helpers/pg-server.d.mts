export function postgresBinDir(env?: NodeJS.ProcessEnv): string | null;
export function startPostgres(): Promise<{ url: string; stop(): Promise<void> } | { skip: string }>;
