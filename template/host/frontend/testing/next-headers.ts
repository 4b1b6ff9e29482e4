/**
 * A stand-in for `next/headers` under Vitest: outside a request Next's `cookies()` and `headers()`
 * throw, so `vitest.setup.ts` mocks the module with `headersMock` for every test file and calls
 * `resetHeadersMock()` before each test (no cookie, no header).
 *
 *   import { setCookies } from "@/testing/next-headers";
 *
 *   setCookies({ vectra_access_token: "token-a" });   // what the request being served carries
 *   await renderPage(ItemPage, pageProps({ params: { id: "42" } }));
 *   expect(lastFetch(fetchMock).headers.get("Authorization")).toBe("Bearer token-a");
 *
 * Only reading is supported (`get`, `getAll`, `has`, `size`), as in a server component.
 */
import { vi } from "vitest";

export interface RequestCookie {
  name: string;
  value: string;
}

const state = { cookies: new Map<string, string>(), headers: new Headers() };

/** Sets the cookies of the request being served (replacing the previous ones). */
export function setCookies(values: Record<string, string>): void {
  state.cookies = new Map(Object.entries(values));
}

/** Sets the headers of the request being served (replacing the previous ones). */
export function setHeaders(values: Record<string, string>): void {
  state.headers = new Headers(values);
}

function cookieStore() {
  const entries = (): RequestCookie[] => [...state.cookies].map(([name, value]) => ({ name, value }));
  return {
    get: (name: string): RequestCookie | undefined => entries().find((cookie) => cookie.name === name),
    getAll: (name?: string): RequestCookie[] => entries().filter((cookie) => name === undefined || cookie.name === name),
    has: (name: string): boolean => state.cookies.has(name),
    get size(): number {
      return state.cookies.size;
    },
  };
}

export const headersMock = {
  cookies: vi.fn(async () => cookieStore()),
  headers: vi.fn(async () => new Headers(state.headers)),
};

/** No cookie, no header; clears every mock's calls and overrides (back to the implementations above). */
export function resetHeadersMock(): void {
  state.cookies = new Map();
  state.headers = new Headers();
  headersMock.cookies.mockReset();
  headersMock.headers.mockReset();
}
