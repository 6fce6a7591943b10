import type { NextConfig } from "next";

// Headers every response carries; the Content-Security-Policy (with its per-response nonce) is set in proxy.ts.
const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  // Our URLs carry Message-IDs and addresses: never hand them to another site. Not no-referrer:
  // with it, Chromium sends `Origin: null` on our own form posts, and a sign-in without JavaScript
  // fails the origin check.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

const config: NextConfig = {
  poweredByHeader: false,
  // Builds for tests go elsewhere, so `npm test` never disturbs a running dashboard's .next/.
  distDir: process.env.SPAMTRAIL_DIST_DIR ?? ".next",
  // The browser tests' build skips the type check: `npm test` runs `tsc --noEmit` on its own.
  typescript: { ignoreBuildErrors: process.env.SPAMTRAIL_SKIP_TYPECHECK === "1" },
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default config;
