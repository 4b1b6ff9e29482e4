import { z } from "zod";

import { fetchCall, jsonResponse, noContentResponse, stubFetch } from "@/testing/fetch";

import {
  ApiError,
  ApiValidationError,
  DEFAULT_API_URL,
  NotFoundError,
  apiBaseUrl,
  apiDelete,
  apiGet,
  apiPatch,
  apiPost,
  apiPut,
  buildUrl,
  emptyResponse,
  isApiError,
  isNotFoundError,
} from "./client";

const Item = z.object({
  id: z.string(),
  name: z.string(),
  quantity: z.number().int(),
});

describe("apiBaseUrl", () => {
  it("defaults to the local backend", () => {
    vi.stubEnv("NEXT_PUBLIC_API_URL", undefined);
    expect(apiBaseUrl()).toBe("http://localhost:8000/api/v1");
    expect(DEFAULT_API_URL).toBe("http://localhost:8000/api/v1");
  });

  it("reads NEXT_PUBLIC_API_URL and drops trailing slashes", () => {
    vi.stubEnv("NEXT_PUBLIC_API_URL", "https://api.vectra.test/api/v2//");
    expect(apiBaseUrl()).toBe("https://api.vectra.test/api/v2");
  });

  it("ignores a blank NEXT_PUBLIC_API_URL", () => {
    vi.stubEnv("NEXT_PUBLIC_API_URL", "  ");
    expect(apiBaseUrl()).toBe(DEFAULT_API_URL);
  });
});

describe("buildUrl", () => {
  it("joins base and path and encodes the query, skipping empty values", () => {
    expect(
      buildUrl("items", { q: "a b&c", page: 2, archived: false, tag: ["x", "y"], skip: null, none: undefined }, "http://api/v1/"),
    ).toBe("http://api/v1/items?q=a+b%26c&page=2&archived=false&tag=x&tag=y");
  });

  it("leaves the URL alone when the query is empty", () => {
    expect(buildUrl("/items", { skip: undefined }, "http://api/v1")).toBe("http://api/v1/items");
  });
});

describe("apiGet", () => {
  it("returns the body validated and typed by the schema", async () => {
    const fetchMock = stubFetch(jsonResponse({ id: "42", name: "Widget", quantity: 3, extra: "dropped" }));

    const item = await apiGet("/items/42", Item);

    expect(item).toEqual({ id: "42", name: "Widget", quantity: 3 });
    expect(fetchMock).toHaveBeenCalledOnce();
    const call = fetchCall(fetchMock);
    expect(call.url).toBe("http://localhost:8000/api/v1/items/42");
    expect(call.method).toBe("GET");
    expect(call.headers.get("Accept")).toBe("application/json");
    expect(call.headers.has("Authorization")).toBe(false);
    expect(call.body).toBeUndefined();
  });

  it("sends the bearer token, extra headers and the query", async () => {
    const fetchMock = stubFetch(jsonResponse([]));

    await apiGet("/items", z.array(Item), {
      token: "tok-123",
      headers: { "X-Request-Id": "r1" },
      query: { page: 1 },
      baseUrl: "https://tenant.vectra.test/api/v1",
    });

    const call = fetchCall(fetchMock);
    expect(call.url).toBe("https://tenant.vectra.test/api/v1/items?page=1");
    expect(call.headers.get("Authorization")).toBe("Bearer tok-123");
    expect(call.headers.get("X-Request-Id")).toBe("r1");
  });

  it("applies the schema's transforms", async () => {
    stubFetch(jsonResponse({ createdAt: "2026-01-15T10:00:00Z" }));

    const result = await apiGet("/clock", z.object({ createdAt: z.coerce.date() }));

    expect(result.createdAt).toBeInstanceOf(Date);
    expect(result.createdAt.toISOString()).toBe("2026-01-15T10:00:00.000Z");
  });

  it("rejects a body that does not match the schema with ApiValidationError", async () => {
    stubFetch(jsonResponse({ id: 42, name: "Widget" }));

    const error: unknown = await apiGet("/items/42", Item).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiValidationError);
    expect(isApiError(error)).toBe(false);
    const validation = error as ApiValidationError;
    expect(validation.status).toBe(200);
    expect(validation.url).toBe("http://localhost:8000/api/v1/items/42");
    expect(validation.issues.map((issue) => issue.path.join("."))).toEqual(["id", "quantity"]);
    expect(validation.message).toContain("GET http://localhost:8000/api/v1/items/42");
  });

  it("rejects a non-JSON success body when the schema wants an object", async () => {
    stubFetch(new Response("<html>proxy page</html>", { status: 200, headers: { "Content-Type": "text/html" } }));

    await expect(apiGet("/items/42", Item)).rejects.toBeInstanceOf(ApiValidationError);
  });
});

describe("errors", () => {
  it("throws ApiError with status, detail and body on a non-2xx answer", async () => {
    stubFetch(jsonResponse({ detail: "Quota exceeded" }, 429));

    const error: unknown = await apiGet("/items", z.array(Item)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(NotFoundError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(429);
    expect(apiError.method).toBe("GET");
    expect(apiError.detail).toBe("Quota exceeded");
    expect(apiError.body).toEqual({ detail: "Quota exceeded" });
    expect(apiError.message).toBe("GET http://localhost:8000/api/v1/items failed with 429: Quota exceeded");
    expect(apiError.name).toBe("ApiError");
  });

  it("joins FastAPI's validation messages for a 422", async () => {
    stubFetch(
      jsonResponse(
        {
          detail: [
            { loc: ["body", "name"], msg: "Field required", type: "missing" },
            { loc: ["body", "quantity"], msg: "Input should be a valid integer", type: "int_parsing" },
          ],
        },
        422,
      ),
    );

    const error = (await apiPost("/items", Item, { id: "1" }).catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(422);
    expect(error.detail).toBe("Field required; Input should be a valid integer");
  });

  it("keeps a plain-text error body", async () => {
    stubFetch(new Response("Bad gateway", { status: 502, headers: { "Content-Type": "text/plain" } }));

    const error = (await apiGet("/items", z.array(Item)).catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(502);
    expect(error.body).toBe("Bad gateway");
    expect(error.detail).toBe("Bad gateway");
  });

  it("keeps a broken JSON error body as text and stringifies an odd detail", async () => {
    stubFetch([
      new Response("{not json", { status: 500, headers: { "Content-Type": "application/json" } }),
      jsonResponse({ detail: { code: "TENANT_SUSPENDED" } }, 403),
    ]);

    const broken = (await apiGet("/a", Item).catch((e: unknown) => e)) as ApiError;
    const odd = (await apiGet("/b", Item).catch((e: unknown) => e)) as ApiError;

    expect(broken.body).toBe("{not json");
    expect(odd.detail).toBe('{"code":"TENANT_SUSPENDED"}');
  });

  it("has no detail when the error body is empty", async () => {
    stubFetch(new Response(null, { status: 500 }));

    const error = (await apiGet("/items", z.array(Item)).catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(500);
    expect(error.body).toBeUndefined();
    expect(error.detail).toBeUndefined();
    expect(error.message).toContain("failed with 500: no detail");
  });

  it("throws NotFoundError, an ApiError, on 404", async () => {
    stubFetch(jsonResponse({ detail: "Item not found" }, 404));

    const error: unknown = await apiGet("/items/other-tenant", Item).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect(isNotFoundError(error)).toBe(true);
    expect(isApiError(error)).toBe(true);
    expect((error as NotFoundError).status).toBe(404);
    expect((error as NotFoundError).name).toBe("NotFoundError");
    expect((error as NotFoundError).detail).toBe("Item not found");
  });

  it("does not take a 403 for a 404", async () => {
    stubFetch(jsonResponse({ detail: "Forbidden" }, 403));

    const error: unknown = await apiGet("/items/1", Item).catch((e: unknown) => e);

    expect(isApiError(error)).toBe(true);
    expect(isNotFoundError(error)).toBe(false);
  });
});

describe("write verbs", () => {
  it("POSTs the body as JSON", async () => {
    const fetchMock = stubFetch(jsonResponse({ id: "7", name: "New", quantity: 1 }, 201));

    const created = await apiPost("/items", Item, { name: "New", quantity: 1 }, { token: "t" });

    expect(created.id).toBe("7");
    const call = fetchCall(fetchMock);
    expect(call.method).toBe("POST");
    expect(call.headers.get("Content-Type")).toBe("application/json");
    expect(call.headers.get("Authorization")).toBe("Bearer t");
    expect(call.body).toEqual({ name: "New", quantity: 1 });
  });

  it("POSTs without a body when none is given", async () => {
    const fetchMock = stubFetch(jsonResponse({ ok: true }));

    await apiPost("/items/7/archive", z.object({ ok: z.literal(true) }));

    const call = fetchCall(fetchMock);
    expect(call.body).toBeUndefined();
    expect(call.headers.has("Content-Type")).toBe(false);
  });

  it("PUTs and PATCHes", async () => {
    const fetchMock = stubFetch([
      jsonResponse({ id: "7", name: "Full", quantity: 2 }),
      jsonResponse({ id: "7", name: "Renamed", quantity: 2 }),
    ]);

    await apiPut("/items/7", Item, { name: "Full", quantity: 2 });
    const patched = await apiPatch("/items/7", Item, { name: "Renamed" });

    expect(patched.name).toBe("Renamed");
    expect(fetchCall(fetchMock, 0).method).toBe("PUT");
    expect(fetchCall(fetchMock, 1).method).toBe("PATCH");
    expect(fetchCall(fetchMock, 1).body).toEqual({ name: "Renamed" });
  });

  it("DELETEs and accepts 204 No Content with emptyResponse", async () => {
    const fetchMock = stubFetch(noContentResponse());

    await expect(apiDelete("/items/7", emptyResponse)).resolves.toBeUndefined();
    expect(fetchCall(fetchMock).method).toBe("DELETE");
  });

  it("refuses a body where emptyResponse is expected", async () => {
    stubFetch(jsonResponse({ id: "7" }));

    await expect(apiDelete("/items/7", emptyResponse)).rejects.toBeInstanceOf(ApiValidationError);
  });
});
