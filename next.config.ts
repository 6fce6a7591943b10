import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  // Builds for tests go elsewhere, so `npm test` never disturbs a running dashboard's .next/.
  distDir: process.env.SPAMTRAIL_DIST_DIR ?? ".next",
};

export default config;
