/**
 * A stand-in for `next/navigation` under Vitest.
 *
 * `vitest.setup.ts` mocks `next/navigation` with `navigationMock` for every test file and calls
 * `resetNavigationMock()` before each test, so a test only imports what it needs from here:
 *
 *   import { mockRouter, setPathname, setSearchParams, setParams, expectNotFound } from "@/testing/next-navigation";
 *
 *   setPathname("/items");
 *   setSearchParams({ page: "2" });
 *   await user.click(button);
 *   expect(mockRouter.push).toHaveBeenCalledWith("/items/42");
 *
 *   await expectNotFound(() => ItemPage(pageProps({ params: { id: "missing" } })));
 *
 * `notFound()`, `redirect()`, `forbidden()` and `unauthorized()` throw the error classes below,
 * which carry the same `digest` as Next's own, so code that rethrows them behaves as in Next.
 * Every export of `navigationMock` is a `vi.fn`: override one for a single test with
 * `vi.mocked(navigationMock.usePathname).mockReturnValue("/x")` (reset before the next test).
 */
import type { useRouter } from "next/navigation";
import { expect, vi } from "vitest";

export type AppRouter = ReturnType<typeof useRouter>;
export type RouteParams = Record<string, string | string[]>;
export type SearchParamsInit = string | URLSearchParams | Record<string, string | readonly string[]>;

/** What the mocked `notFound()`, `forbidden()` and `unauthorized()` throw: Next's HTTP fallback digest. */
abstract class NextHttpFallbackError extends Error {
  readonly digest: string;

  constructor(call: string, status: 401 | 403 | 404) {
    super(`${call}() was called`);
    this.digest = `NEXT_HTTP_ERROR_FALLBACK;${status}`;
  }
}

/** Thrown by the mocked `notFound()`. */
export class NextNotFoundError extends NextHttpFallbackError {
  override readonly name = "NextNotFoundError";

  constructor() {
    super("notFound", 404);
  }
}

/** Thrown by the mocked `forbidden()`. */
export class NextForbiddenError extends NextHttpFallbackError {
  override readonly name = "NextForbiddenError";

  constructor() {
    super("forbidden", 403);
  }
}

/** Thrown by the mocked `unauthorized()`. */
export class NextUnauthorizedError extends NextHttpFallbackError {
  override readonly name = "NextUnauthorizedError";

  constructor() {
    super("unauthorized", 401);
  }
}

/** Thrown by the mocked `redirect()` (`permanent` false) and `permanentRedirect()` (true). */
export class NextRedirectError extends Error {
  override readonly name = "NextRedirectError";
  readonly digest: string;

  constructor(
    readonly url: string,
    readonly type: "push" | "replace",
    readonly permanent: boolean,
  ) {
    super(`${permanent ? "permanentRedirect" : "redirect"}(${JSON.stringify(url)}) was called`);
    this.digest = `NEXT_REDIRECT;${type};${url};${permanent ? 308 : 307};`;
  }
}

export type NextNavigationError =
  | NextNotFoundError
  | NextForbiddenError
  | NextUnauthorizedError
  | NextRedirectError;

export function isNextNavigationError(error: unknown): error is NextNavigationError {
  return (
    error instanceof NextNotFoundError ||
    error instanceof NextForbiddenError ||
    error instanceof NextUnauthorizedError ||
    error instanceof NextRedirectError
  );
}

/** What `useRouter()` returns: every method is a `vi.fn`, reset before each test. */
export const mockRouter = {
  bfcacheId: "test-bfcache-id",
  back: vi.fn<AppRouter["back"]>(),
  forward: vi.fn<AppRouter["forward"]>(),
  refresh: vi.fn<AppRouter["refresh"]>(),
  push: vi.fn<AppRouter["push"]>(),
  replace: vi.fn<AppRouter["replace"]>(),
  prefetch: vi.fn<AppRouter["prefetch"]>(),
} satisfies AppRouter;

interface NavigationState {
  pathname: string;
  searchParams: URLSearchParams;
  params: RouteParams;
}

const state: NavigationState = {
  pathname: "/",
  searchParams: new URLSearchParams(),
  params: {},
};

/** Sets what `usePathname()` (and the layout segments) return. Default "/". */
export function setPathname(pathname: string): void {
  state.pathname = pathname;
}

/** Sets what `useSearchParams()` returns: `"a=1&b=2"`, `{ a: "1", tag: ["x", "y"] }` or URLSearchParams. */
export function setSearchParams(init: SearchParamsInit): void {
  const params = new URLSearchParams();
  if (typeof init === "string" || init instanceof URLSearchParams) {
    new URLSearchParams(init).forEach((value, key) => params.append(key, value));
  } else {
    for (const [key, value] of Object.entries(init)) {
      for (const item of typeof value === "string" ? [value] : value) {
        params.append(key, item);
      }
    }
  }
  state.searchParams = params;
}

/** Sets what `useParams()` returns (a route's dynamic segments). Default `{}`. */
export function setParams(params: RouteParams): void {
  state.params = { ...params };
}

class ReadonlyURLSearchParams extends URLSearchParams {}

export const navigationMock = {
  useRouter: vi.fn((): AppRouter => mockRouter),
  usePathname: vi.fn((): string => state.pathname),
  useSearchParams: vi.fn((): URLSearchParams => new ReadonlyURLSearchParams(state.searchParams)),
  useParams: vi.fn((): RouteParams => state.params),
  useSelectedLayoutSegments: vi.fn((): string[] => state.pathname.split("/").filter(Boolean)),
  useSelectedLayoutSegment: vi.fn(
    (): string | null => state.pathname.split("/").filter(Boolean)[0] ?? null,
  ),
  useServerInsertedHTML: vi.fn(),
  notFound: vi.fn((): never => {
    throw new NextNotFoundError();
  }),
  forbidden: vi.fn((): never => {
    throw new NextForbiddenError();
  }),
  unauthorized: vi.fn((): never => {
    throw new NextUnauthorizedError();
  }),
  redirect: vi.fn((url: string, type: "push" | "replace" = "replace"): never => {
    throw new NextRedirectError(url, type, false);
  }),
  permanentRedirect: vi.fn((url: string, type: "push" | "replace" = "replace"): never => {
    throw new NextRedirectError(url, type, true);
  }),
  unstable_rethrow: vi.fn((error: unknown): void => {
    if (isNextNavigationError(error)) {
      throw error;
    }
  }),
  unstable_isUnrecognizedActionError: vi.fn((): boolean => false),
  RedirectType: { push: "push", replace: "replace" } as const,
  ReadonlyURLSearchParams,
};

/** Back to "/", no search params, no route params; clears every mock's calls and overrides. */
export function resetNavigationMock(): void {
  state.pathname = "/";
  state.searchParams = new URLSearchParams();
  state.params = {};
  mockRouter.bfcacheId = "test-bfcache-id";
  for (const value of [...Object.values(mockRouter), ...Object.values(navigationMock)]) {
    if (vi.isMockFunction(value)) {
      value.mockReset();
    }
  }
}

/** Asserts that `action` (a page function, typically) calls `notFound()`. */
export async function expectNotFound(action: () => unknown): Promise<void> {
  await expect(Promise.resolve().then(action)).rejects.toBeInstanceOf(NextNotFoundError);
}

/** Asserts that `action` redirects to `url`; returns the error for further checks. */
export async function expectRedirect(action: () => unknown, url: string): Promise<NextRedirectError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(NextRedirectError);
    expect((error as NextRedirectError).url).toBe(url);
    return error as NextRedirectError;
  }
  throw new Error(`expected a redirect to ${url}, but nothing was thrown`);
}
