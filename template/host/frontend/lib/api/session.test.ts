import { redirect } from "next/navigation";
import { z } from "zod";

import { jsonResponse, stubFetch } from "@/testing/fetch";
import { expectRedirect } from "@/testing/next-navigation";

import { ApiError, apiGet } from "./client";
import { LOGIN_PATH, orSignIn } from "./session";

const Item = z.object({ id: z.string() });

describe("orSignIn", () => {
  it("passes a successful result through", async () => {
    stubFetch(jsonResponse({ id: "1" }));

    await expect(orSignIn(apiGet("/items/1", Item))).resolves.toEqual({ id: "1" });
    expect(redirect).not.toHaveBeenCalled();
  });

  it("sends the person to the sign-in page when the backend answers 401", async () => {
    stubFetch(jsonResponse({ detail: "Could not validate credentials" }, 401));

    await expectRedirect(() => orSignIn(apiGet("/items/1", Item)), "/login");
    expect(LOGIN_PATH).toBe("/login");
  });

  it("rethrows any other error unchanged", async () => {
    stubFetch(jsonResponse({ detail: "Forbidden" }, 403));

    const error: unknown = await orSignIn(apiGet("/items/1", Item)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect(redirect).not.toHaveBeenCalled();
  });
});
