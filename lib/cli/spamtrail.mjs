#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --max-old-space-size=2047
// Runs the CLI compiled from its TypeScript when it changed (lib/cli/compiled-cli.mjs), so the
// checkout needs no build step.
// The heap limit is no limit in practice (ingest and follow hold 40-90 MiB of live objects), but
// below 2 GiB V8 lets the heap grow to at most ~2x what survived its last full collection instead
// of 4x: ingest's peak memory drops by a fifth (1M lines: ~350 -> ~285 MiB) for a few per cent
// more time in the collector. At 2048 and above V8 grows it 4x again (Node 20's V8,
// heap-controller.cc MaxGrowingFactor: 1.3 to 2.0 with the limit, 4.0 from 2 GiB on).
// MALLOC_MMAP_THRESHOLD_ fixes glibc's threshold for mapping a block on its own: glibc otherwise
// raises it once big blocks are freed, and then serves the write batches' buffers (and their
// copies for the write thread) from its heaps, where the holes stay (5M lines: ~295 -> ~265 MiB).
// The systemd units (lib/service/) pass the same flags and environment, and the benchmarks run
// with them (tests/helpers/cli-node-flags.ts; tests/service-units.test.ts checks they agree).
import { loadCli } from "./compiled-cli.mjs";

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
