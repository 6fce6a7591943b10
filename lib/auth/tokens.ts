import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh unguessable token (256 bits, base64url). */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** True for strings shaped like randomToken(): anything else is refused before touching the database. */
export function isTokenShaped(value: string | undefined | null): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** sha256 hex: what the database keeps of a session token. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time string equality (false when either side is missing). */
export function tokensMatch(expected: string | null | undefined, given: string | null | undefined): boolean {
  if (typeof expected !== "string" || typeof given !== "string" || expected === "") return false;
  const a = Buffer.from(sha256Hex(expected), "hex");
  const b = Buffer.from(sha256Hex(given), "hex");
  return timingSafeEqual(a, b) && expected.length === given.length;
}
