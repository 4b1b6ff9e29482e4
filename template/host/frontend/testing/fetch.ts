/**
 * `fetch` stubs for tests of code that calls the backend through `@/lib/api/client`.
 *
 *   const fetchMock = stubFetch(jsonResponse({ id: "42", name: "Item" }));
 *   await renderPage(ItemPage, pageProps({ params: { id: "42" } }));
 *   expect(lastFetch(fetchMock).url).toBe("http://localhost:8000/api/v1/items/42");
 *
 * `stubFetch` uses `vi.stubGlobal`; vitest.config.ts sets `unstubGlobals`, so the real fetch is
 * back after each test.
 */
import { vi, type Mock } from "vitest";

export type FetchFn = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
export type FetchMock = Mock<FetchFn>;
export type FetchHandler = (url: string, init: RequestInit) => Response | Promise<Response>;

/** A JSON response: `jsonResponse({ id: 1 })`, `jsonResponse({ detail: "Nope" }, 403)`. */
export function jsonResponse(body: unknown, init: number | ResponseInit = 200): Response {
  const options: ResponseInit = typeof init === "number" ? { status: init } : init;
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "application/json");
  return new Response(JSON.stringify(body), { ...options, headers });
}

/** An empty response, 204 No Content by default. */
export function noContentResponse(status = 204): Response {
  return new Response(null, { status });
}

/**
 * Replaces the global `fetch`.
 * - a function: called for every request with the URL as a string and the init;
 * - one Response: answered (cloned) to every request;
 * - an array: answered in order, one per request; a request past the end fails the test.
 */
export function stubFetch(answer: FetchHandler | Response | readonly Response[]): FetchMock {
  let index = 0;
  const fetchMock = vi.fn<FetchFn>(async (input, init = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    if (typeof answer === "function") {
      return answer(url, init);
    }
    if (answer instanceof Response) {
      return answer.clone();
    }
    const next = answer[index];
    index += 1;
    if (!next) {
      throw new Error(`unexpected fetch #${index}: ${init.method ?? "GET"} ${url}`);
    }
    return next;
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

export interface RecordedFetch {
  url: string;
  method: string;
  headers: Headers;
  /** The request body parsed as JSON when it is a string, else as given. */
  body: unknown;
}

/** The `n`-th request a fetch mock received (0-based; negative counts from the end). */
export function fetchCall(fetchMock: FetchMock, n = 0): RecordedFetch {
  const call = fetchMock.mock.calls.at(n);
  if (!call) {
    throw new Error(`fetch was called ${fetchMock.mock.calls.length} time(s); no call #${n}`);
  }
  const [input, init = {}] = call;
  const url = input instanceof Request ? input.url : String(input);
  const raw = init.body;
  let body: unknown = raw ?? undefined;
  if (typeof raw === "string") {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      body = raw;
    }
  }
  return { url, method: init.method ?? "GET", headers: new Headers(init.headers), body };
}

/** The last request a fetch mock received. */
export function lastFetch(fetchMock: FetchMock): RecordedFetch {
  return fetchCall(fetchMock, -1);
}
