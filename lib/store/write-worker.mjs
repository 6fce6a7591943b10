// The write thread's entry (lib/store/batch-writers.ts): workers do not inherit tsx's loader, so
// it is registered here before the TypeScript is loaded.
import { register } from "tsx/esm/api";

register();
await import("./write-worker.ts");
