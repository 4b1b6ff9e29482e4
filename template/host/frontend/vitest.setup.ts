/**
 * Runs before every test file (vitest.config.ts `setupFiles`).
 * - jest-dom matchers (`toBeInTheDocument`, `toHaveTextContent`, ...) on `expect`;
 * - `server-only` is empty under test (the real one throws outside React Server Components);
 * - `next/navigation` is replaced by `@/testing/next-navigation`, reset before each test;
 * - `next/headers` is replaced by `@/testing/next-headers` (no cookie until `setCookies`), reset too.
 * Testing Library's cleanup runs after each test because `globals` is true.
 */
import "@testing-library/jest-dom/vitest";
import { beforeEach, vi } from "vitest";

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
