import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Node before 22.12 ignores the export conditions Vitest's VM pool gives `require.resolve`, and its
// `module-sync` condition then hands a CommonJS `require` an ES module (next/link requires
// @swc/helpers): without require(esm) that condition is off, as on a newer Node.
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split(".").map(Number);
const requireEsmFlag =
  nodeMajor < 22 || (nodeMajor === 22 && nodeMinor < 12) ? ["--no-experimental-require-module"] : [];

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      // "@/lib/x" -> "<this folder>/lib/x", as tsconfig.json's paths.
      "@/": fileURLToPath(new URL("./", import.meta.url)),
    },
  },
  test: {
    environment: "happy-dom", // about half the set-up time of jsdom per test file
    // Each test file still runs in its own context with its own modules, as with the default
    // `forks` pool, but in a VM context of a long-lived worker: no process and environment
    // started per file (with 20 units, 32 s of Vitest became 5 s).
    pool: "vmForks",
    execArgv: requireEsmFlag,
    globals: true,
    setupFiles: ["./vitest.setup.ts"],
    include: ["**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "**/.next/**", "**/coverage/**"],
    unstubEnvs: true,
    unstubGlobals: true,
    coverage: {
      provider: "v8",
      include: ["components/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
      exclude: ["**/*.test.{ts,tsx}", "**/*.d.ts"],
      reporter: ["text", "json-summary"],
      reportsDirectory: "./coverage",
    },
  },
});
