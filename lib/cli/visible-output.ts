import { showInvisible } from "../core/visible-text.ts";
import type { Io } from "./command.ts";

type Output = Io["stdout"];

const RAW = Symbol("raw output");

/**
 * The stream with every string written to it shown safe for a terminal: control and format
 * characters from log lines (ESC sequences, OSC titles and links, bidi overrides) appear as
 * \uXXXX, lines and tabs stay. The same escape is valid inside JSON strings, so --json output
 * means the same after it. Every command writes through this (lib/cli/main.ts).
 */
export function visibleOutput(stream: Output): Output {
  if ((stream as { [RAW]?: Output })[RAW]) return stream;
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (stream.write as (...args: unknown[]) => boolean)(
      typeof chunk === "string" ? showInvisible(chunk, { keepLines: true }) : chunk,
      ...rest,
    );
  return new Proxy(stream, {
    get(target, property) {
      if (property === "write") return write;
      if (property === RAW) return target;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The terminal underneath a visibleOutput, for Spamtrail's own escape sequences (the progress bar). */
export function rawOutput(stream: Output): Output {
  return (stream as { [RAW]?: Output })[RAW] ?? stream;
}
