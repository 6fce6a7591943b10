/**
 * `work` for every item, at most `limit` at a time, results in the items' order. A file opened or
 * read through libuv's thread pool waits a round trip: thousands of them one after another (DSPAM
 * keeps a log per user) leave this thread idle. After a failure no new item starts, and the first
 * failure is what it rejects with.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
