// ESLint (flat config): Next.js's rules, core web vitals and TypeScript. `npm run lint`.
import { createRequire } from "node:module";

// typescript-eslint (the parser and TypeScript rules of eslint-config-next) needs TypeScript's
// JavaScript API, at a version below 6.1; the project's compiler is TypeScript 7 (`typescript`),
// which has none. ESLint gets its own TypeScript 6 (the devDependency `typescript-for-eslint`, an
// npm alias): within this ESLint process, `require("typescript")` returns it. `tsc` and Next keep
// TypeScript 7. Drop this, and the alias, once typescript-eslint supports TypeScript 7.
const require = createRequire(import.meta.url);
require("typescript-for-eslint");
require.cache[require.resolve("typescript")] = require.cache[require.resolve("typescript-for-eslint")];

// Imported after the line above: they load typescript-eslint.
const { default: nextVitals } = await import("eslint-config-next/core-web-vitals");
const { default: nextTypeScript } = await import("eslint-config-next/typescript");

const config = [
  ...nextVitals,
  ...nextTypeScript,
  { ignores: [".next/**", "out/**", "build/**", "coverage/**", "next-env.d.ts"] },
];

export default config;
