/**
 * A small typed client for the VECTRA backend (FastAPI, mounted under `/api/v1`).
 *
 * Every call takes a Zod schema and returns the validated, typed body:
 *
 *   const Item = z.object({ id: z.string(), name: z.string() });
 *   const item = await apiGet("/items/42", Item, { token });
 *
 * Failures are typed errors:
 * - `ApiError`: the backend answered with a non-2xx status (`status`, `detail`, `body`);
 * - `NotFoundError` (an `ApiError`): it answered 404; a page turns it into `notFound()` with
 *   `orNotFound()` from `@/lib/api/not-found`;
 * - `ApiValidationError`: a 2xx body that does not match the schema (`issues`).
 * Network failures reject with fetch's own error.
 *
 * This module imports nothing from Next, so server and client components can both use it.
 */
import { z } from "zod";

export const DEFAULT_API_URL = "http://localhost:8000/api/v1";

/** The backend's base URL: `NEXT_PUBLIC_API_URL`, else `DEFAULT_API_URL`, without a trailing slash. */
export function apiBaseUrl(): string {
  // Read literally so Next can inline it into client bundles.
  const configured = process.env.NEXT_PUBLIC_API_URL?.trim();
  return (configured ? configured : DEFAULT_API_URL).replace(/\/+$/, "");
}

export type ApiMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type QueryValue = string | number | boolean | null | undefined;

export type QueryParams = Record<string, QueryValue | readonly QueryValue[]>;

export interface ApiRequestOptions {
  /** Sent as `Authorization: Bearer <token>`; nothing is sent when it is empty. */
  token?: string | null | undefined;
  /** Appended to the URL; `null`/`undefined` values are skipped, arrays repeat the key. */
  query?: QueryParams | undefined;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides `apiBaseUrl()`. */
  baseUrl?: string | undefined;
  cache?: RequestCache | undefined;
  /** Next's fetch cache options (`revalidate`, `tags`), for server components. */
  next?: NextFetchRequestConfig | undefined;
}

export interface ApiRequest extends ApiRequestOptions {
  /** Serialised as JSON when defined. */
  body?: unknown;
}

/** The backend answered with a non-2xx status. */
export class ApiError extends Error {
  override readonly name: string = "ApiError";
  readonly status: number;
  readonly method: ApiMethod;
  readonly url: string;
  /** The parsed response body (JSON when it parses, else text; `undefined` when empty). */
  readonly body: unknown;

  constructor(status: number, method: ApiMethod, url: string, body: unknown) {
    super(`${method} ${url} failed with ${status}: ${detailOf(body) ?? "no detail"}`);
    this.status = status;
    this.method = method;
    this.url = url;
    this.body = body;
  }

  /** FastAPI's `detail` as text (validation errors joined), when the body has one. */
  get detail(): string | undefined {
    return detailOf(this.body);
  }
}

/** The backend answered 404 (including another tenant's resource). */
export class NotFoundError extends ApiError {
  override readonly name: string = "NotFoundError";

  constructor(method: ApiMethod, url: string, body: unknown) {
    super(404, method, url, body);
  }
}

/** A 2xx response whose body does not match the schema the caller gave. */
export class ApiValidationError extends Error {
  override readonly name: string = "ApiValidationError";
  readonly status: number;
  readonly method: ApiMethod;
  readonly url: string;
  readonly body: unknown;
  readonly issues: z.core.$ZodIssue[];

  constructor(status: number, method: ApiMethod, url: string, body: unknown, error: z.ZodError) {
    super(`${method} ${url} returned an unexpected body:\n${z.prettifyError(error)}`);
    this.status = status;
    this.method = method;
    this.url = url;
    this.body = body;
    this.issues = error.issues;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isNotFoundError(error: unknown): error is NotFoundError {
  return error instanceof NotFoundError;
}

/** Schema for an empty body (204 No Content): `await apiDelete("/items/1", emptyResponse)`. */
export const emptyResponse = z.undefined();

/** Joins the base URL, the path and the query string. */
export function buildUrl(path: string, query?: QueryParams, baseUrl: string = apiBaseUrl()): string {
  const base = baseUrl.replace(/\/+$/, "");
  const url = `${base}${path.startsWith("/") ? path : `/${path}`}`;
  if (!query) {
    return url;
  }
  const params = new URLSearchParams();
  for (const [key, raw] of Object.entries(query)) {
    const values: readonly QueryValue[] = Array.isArray(raw) ? raw : [raw as QueryValue];
    for (const value of values) {
      if (value !== null && value !== undefined) {
        params.append(key, String(value));
      }
    }
  }
  const search = params.toString();
  return search ? `${url}${url.includes("?") ? "&" : "?"}${search}` : url;
}

/** Sends one request and returns its body validated by `schema`. The verbs below wrap it. */
export async function apiRequest<T>(
  method: ApiMethod,
  path: string,
  schema: z.ZodType<T>,
  request: ApiRequest = {},
): Promise<T> {
  const url = buildUrl(path, request.query, request.baseUrl ?? apiBaseUrl());
  const headers = new Headers(request.headers);
  headers.set("Accept", "application/json");
  if (request.token) {
    headers.set("Authorization", `Bearer ${request.token}`);
  }
  const init: RequestInit = { method, headers };
  if (request.body !== undefined) {
    headers.set("Content-Type", "application/json");
    init.body = JSON.stringify(request.body);
  }
  if (request.signal) init.signal = request.signal;
  if (request.cache) init.cache = request.cache;
  if (request.next) init.next = request.next;

  const response = await fetch(url, init);
  const body = await readBody(response);
  if (!response.ok) {
    throw response.status === 404
      ? new NotFoundError(method, url, body)
      : new ApiError(response.status, method, url, body);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiValidationError(response.status, method, url, body, parsed.error);
  }
  return parsed.data;
}

export function apiGet<T>(path: string, schema: z.ZodType<T>, options?: ApiRequestOptions): Promise<T> {
  return apiRequest("GET", path, schema, { ...options });
}

export function apiPost<T>(
  path: string,
  schema: z.ZodType<T>,
  body?: unknown,
  options?: ApiRequestOptions,
): Promise<T> {
  return apiRequest("POST", path, schema, { ...options, body });
}

export function apiPut<T>(
  path: string,
  schema: z.ZodType<T>,
  body: unknown,
  options?: ApiRequestOptions,
): Promise<T> {
  return apiRequest("PUT", path, schema, { ...options, body });
}

export function apiPatch<T>(
  path: string,
  schema: z.ZodType<T>,
  body: unknown,
  options?: ApiRequestOptions,
): Promise<T> {
  return apiRequest("PATCH", path, schema, { ...options, body });
}

export function apiDelete<T>(path: string, schema: z.ZodType<T>, options?: ApiRequestOptions): Promise<T> {
  return apiRequest("DELETE", path, schema, { ...options });
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") {
    return undefined;
  }
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function detailOf(body: unknown): string | undefined {
  if (typeof body === "string") {
    return body.trim() === "" ? undefined : body;
  }
  if (typeof body !== "object" || body === null || !("detail" in body)) {
    return undefined;
  }
  const { detail } = body;
  if (typeof detail === "string") {
    return detail;
  }
  if (Array.isArray(detail)) {
    // FastAPI's 422: [{ loc: [...], msg: "...", type: "..." }, ...]
    return detail
      .map((item: unknown) =>
        typeof item === "object" && item !== null && "msg" in item && typeof item.msg === "string"
          ? item.msg
          : JSON.stringify(item),
      )
      .join("; ");
  }
  return JSON.stringify(detail);
}
