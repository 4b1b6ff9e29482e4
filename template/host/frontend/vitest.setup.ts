/**
 * Runs before every test file (vitest.config.ts `setupFiles`).
 * - jest-dom matchers (`toBeInTheDocument`, `toHaveTextContent`, ...) on `expect`;
 * - `server-only` is empty under test (the real one throws outside React Server Components);
 * - `next/navigation` is replaced by `@/testing/next-navigation`, reset before each test;
 * - `next/headers` is replaced by `@/testing/next-headers` (no cookie until `setCookies`), reset too.
 * - Testing Library's cleanup unmounts what a test rendered, after each test (said here: its own
 *   automatic cleanup does not see Vitest's globals from the VM pool's contexts).
 */
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";

import { resetHeadersMock } from "./testing/next-headers";
import { resetNavigationMock } from "./testing/next-navigation";

vi.mock("server-only", () => ({}));

vi.mock("next/navigation", async () => {
  const { navigationMock } = await import("./testing/next-navigation");
  return navigationMock;
});

vi.mock("next/headers", async () => {
  const { headersMock } = await import("./testing/next-headers");
  return headersMock;
});

beforeEach(() => {
  resetNavigationMock();
  resetHeadersMock();
});

afterEach(() => {
  cleanup();
});
