import { cookies } from "next/headers";

import { DEFAULT_API_URL } from "@/lib/api/client";
import { jsonResponse, lastFetch, stubFetch } from "@/testing/fetch";
import { expectRedirect } from "@/testing/next-navigation";

import { signIn, signOut } from "./actions";
import { ERROR_PARAM } from "./sign-in";

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
}

function cookieJar() {
  const set = vi.fn();
  vi.mocked(cookies).mockResolvedValue({ set } as unknown as Awaited<ReturnType<typeof cookies>>);
  return set;
}

function errorOf(url: string): string | null {
  return new URL(url, "http://localhost").searchParams.get(ERROR_PARAM);
}

describe("signIn", () => {
  it("asks the backend's local route for a token, keeps it in the httpOnly cookie and goes home", async () => {
    const fetchMock = stubFetch(jsonResponse({ access_token: "token-a", token_type: "bearer", expires_in: 3600 }));
    const set = cookieJar();

    await expectRedirect(() => signIn(form({ tenant: " acme ", user: "alice" })), "/");

    const sent = lastFetch(fetchMock);
    expect(sent.url).toBe(`${DEFAULT_API_URL}/auth/local-token`);
    expect(sent.method).toBe("POST");
    expect(sent.body).toEqual({ tenant_id: "acme", subject: "alice" });
    expect(set).toHaveBeenCalledWith(
      "vectra_access_token",
      "token-a",
      expect.objectContaining({ httpOnly: true, sameSite: "lax", path: "/", maxAge: 3600 }),
    );
  });

  it("sends an empty form back to /login with a message, without calling the backend", async () => {
    const fetchMock = stubFetch(jsonResponse({}));

    const redirect = await expectRedirectTo(() => signIn(form({ tenant: "  ", user: "alice" })));

    expect(errorOf(redirect)).toMatch(/Renseignez le tenant/);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("says that local sign-in needs VECTRA_ENVIRONMENT=local when the route is absent (404)", async () => {
    stubFetch(jsonResponse({ detail: "Not Found" }, 404));
    const set = cookieJar();

    const redirect = await expectRedirectTo(() => signIn(form({ tenant: "acme", user: "alice" })));

    expect(errorOf(redirect)).toMatch(/VECTRA_ENVIRONMENT=local/);
    expect(set).not.toHaveBeenCalled();
  });

  it("says the backend does not answer when it cannot be reached", async () => {
    stubFetch(() => {
      throw new TypeError("fetch failed");
    });

    const redirect = await expectRedirectTo(() => signIn(form({ tenant: "acme", user: "alice" })));

    expect(errorOf(redirect)).toMatch(/Le backend ne répond pas/);
  });
});

describe("signOut", () => {
  it("drops the token cookie and goes back to /login", async () => {
    const remove = vi.fn();
    vi.mocked(cookies).mockResolvedValue({ delete: remove } as unknown as Awaited<ReturnType<typeof cookies>>);

    await expectRedirect(() => signOut(), "/login");

    expect(remove).toHaveBeenCalledWith("vectra_access_token");
  });
});

async function expectRedirectTo(action: () => Promise<void>): Promise<string> {
  try {
    await action();
  } catch (error) {
    const url = (error as { url?: unknown }).url;
    if (typeof url === "string" && url.startsWith("/login?")) return url;
    throw error;
  }
  throw new Error("expected a redirect to /login");
}
