import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // `make test-e2e` builds into its own folder (.next-e2e), so it never fights a running `make dev`.
  distDir: process.env.VECTRA_NEXT_DIST_DIR?.trim() || ".next",
};

export default nextConfig;
