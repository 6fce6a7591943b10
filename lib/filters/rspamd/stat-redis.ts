// The Bayes classifier's Redis lines: with `debug_modules = ["stat_redis"]` they name the Bayes
// user of each task (the Redis key is the classifier prefix, "RS" by default, + the user).

export type StatRedisEvent =
  /** The task's Bayes key and how many messages were learned into it for one class. */
  | { kind: "rspamd.bayes-key"; key: string; user: string | null; learns: number }
  /** Tokens looked up in the task's Bayes key. */
  | { kind: "rspamd.bayes-tokens"; key: string; user: string | null; processed: number; found: number }
  /** The classifier gave no result for a class: the user has fewer learns than min_learns. */
  | {
      kind: "rspamd.bayes-too-few-learns";
      symbol: string;
      classifier: string;
      learns: number;
      required: number;
    };

// rspamd_redis_connected: connected to redis server, tokens learned for RSalice@example.com: 12
const LEARNED_FOR = /^connected to redis server, tokens learned for (\S*): (\d+)$/;
// rspamd_redis_processed: received tokens for RSalice@example.com: 300 processed, 70 found
const RECEIVED_FOR = /^received tokens for (\S*): (\d+) processed, (\d+) found$/;
// skip obtaining bayes tokens for BAYES_HAM of classifier bayes: not enough learns 0; 10 required
const TOO_FEW =
  /^skip obtaining bayes tokens for (\S+) of classifier (\S+): not enough learns (\d+); (\d+) required$/;

/** The Redis key prefix Rspamd's Bayes uses unless the classifier sets `prefix`. */
export const DEFAULT_BAYES_PREFIX = "RS";

/** Parses a stat_redis (or min_learns) message; null when it is none of the Bayes lines above. */
export function parseStatRedis(message: string, prefix = DEFAULT_BAYES_PREFIX): StatRedisEvent | null {
  const learned = LEARNED_FOR.exec(message);
  if (learned) {
    const key = learned[1] as string;
    return { kind: "rspamd.bayes-key", key, user: userOfKey(key, prefix), learns: Number(learned[2]) };
  }
  const received = RECEIVED_FOR.exec(message);
  if (received) {
    const key = received[1] as string;
    return {
      kind: "rspamd.bayes-tokens",
      key,
      user: userOfKey(key, prefix),
      processed: Number(received[2]),
      found: Number(received[3]),
    };
  }
  const tooFew = TOO_FEW.exec(message);
  if (tooFew)
    return {
      kind: "rspamd.bayes-too-few-learns",
      symbol: tooFew[1] as string,
      classifier: tooFew[2] as string,
      learns: Number(tooFew[3]),
      required: Number(tooFew[4]),
    };
  return null;
}

/** The Bayes user of a Redis key; null for the global Bayes (the bare prefix, users_enabled off). */
export function userOfKey(key: string, prefix = DEFAULT_BAYES_PREFIX): string | null {
  const user = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  return user === "" ? null : user;
}
