import { cookies } from "next/headers";
import { z } from "zod";

import { jsonResponse, lastFetch, stubFetch } from "@/testing/fetch";
import { setCookies } from "@/testing/next-headers";

import { ACCESS_TOKEN_COOKIE, accessToken } from "./auth";
import { apiGet } from "./client";

describe("accessToken", () => {
  it("reads the access token from its cookie", async () => {
    setCookies({ [ACCESS_TOKEN_COOKIE]: "token-a", other: "x" });

    await expect(accessToken()).resolves.toBe("token-a");
    expect(cookies).toHaveBeenCalledOnce();
  });

  it("is undefined without the cookie, or with an empty one", async () => {
    await expect(accessToken()).resolves.toBeUndefined();

    setCookies({ [ACCESS_TOKEN_COOKIE]: "  " });
    await expect(accessToken()).resolves.toBeUndefined();
  });

  it("gives the typed client what it sends as a bearer token, and nothing without a cookie", async () => {
    const fetchMock = stubFetch(jsonResponse({ ok: true }));
    const schema = z.object({ ok: z.boolean() });

    setCookies({ [ACCESS_TOKEN_COOKIE]: "token-a" });
    await apiGet("/items", schema, { token: await accessToken() });
    expect(lastFetch(fetchMock).headers.get("Authorization")).toBe("Bearer token-a");

    setCookies({});
    await apiGet("/items", schema, { token: await accessToken() });
    expect(lastFetch(fetchMock).headers.has("Authorization")).toBe(false);
  });
});
