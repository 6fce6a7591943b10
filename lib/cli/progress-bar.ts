import { bytes, count } from "../core/format.ts";
import type { IngestProgress } from "../ingest/ingest.ts";

/** Draws ingest progress on a terminal (bytes, rate, ETA); does nothing when stderr is not a TTY. */
export function progressBar(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  now = Date.now,
) {
  let drawn = false;
  return {
    update(progress: IngestProgress) {
      if (!stream.isTTY) return;
      const elapsed = Math.max(1, now() - progress.startedAt) / 1000;
      const rate = progress.lines / elapsed;
      const share = progress.totalBytes > 0 ? Math.min(1, progress.bytes / progress.totalBytes) : 0;
      const eta = share > 0 ? (elapsed / share) * (1 - share) : 0;
      const width = 24;
      const bar = "#".repeat(Math.round(share * width)).padEnd(width, ".");
      const text =
        progress.totalBytes > 0
          ? `[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${bytes(progress.bytes)}/${bytes(progress.totalBytes)}  ${count(Math.round(rate))} lines/s  ETA ${Math.ceil(eta)} s`
          : `${count(progress.lines)} lines  ${count(Math.round(rate))} lines/s`;
      stream.write(`\r${text.slice(0, (stream.columns ?? 100) - 1)}\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\u001b[K");
    },
  };
}
