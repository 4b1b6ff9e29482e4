// Tests of a unit's activity log page (/workflow/logs/<kind>/<name>).
import { screen } from "@testing-library/react";

import { ACCESS_TOKEN_COOKIE } from "@/lib/api/auth";
import { jsonResponse, lastFetch, stubFetch } from "@/testing/fetch";
import { setCookies } from "@/testing/next-headers";
import { expectNotFound, expectRedirect } from "@/testing/next-navigation";
import { pageProps, renderPage } from "@/testing/render";

import Page from "./page";

const log = {
  key: "api/campaigns",
  kind: "api",
  name: "campaigns",
  label: "API Endpoint",
  path: "docs/workflow/logs/api/2026-12-01_api_campaigns.md",
  content: "# API Endpoint - campaigns\n\n## Objectif\n\nCréer l'API.\n\n- [x] Créer le log\n",
  problems: [],
};
const props = pageProps({ params: { kind: "api", name: "campaigns" } });

describe("/workflow/logs/[kind]/[name]", () => {
  it("renders the unit's log as a page", async () => {
    setCookies({ [ACCESS_TOKEN_COOKIE]: "token-a" });
    const fetchMock = stubFetch(jsonResponse(log));

    await renderPage(Page, props);

    expect(screen.getByRole("heading", { level: 1, name: "Journal · API Endpoint · campaigns" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 3, name: "Objectif" })).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "fait" })).toBeChecked();
    expect(screen.getByText(log.path)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "← Suivi du workflow" })).toHaveAttribute("href", "/workflow");
    expect(lastFetch(fetchMock).url).toBe("http://localhost:8000/api/v1/workflow/logs/api/campaigns");
    expect(lastFetch(fetchMock).headers.get("Authorization")).toBe("Bearer token-a");
  });

  it("shows what could not be read", async () => {
    stubFetch(jsonResponse({ ...log, problems: ["le journal n'est pas en UTF-8"] }));

    await renderPage(Page, props);

    expect(screen.getByText("le journal n'est pas en UTF-8")).toBeInTheDocument();
  });

  it("escapes the names it puts in the backend's URL", async () => {
    const fetchMock = stubFetch(jsonResponse({ detail: "Aucun journal" }, 404));

    await expectNotFound(() => Page(pageProps({ params: { kind: "api", name: "../../x" } })));
    expect(lastFetch(fetchMock).url).toBe("http://localhost:8000/api/v1/workflow/logs/api/..%2F..%2Fx");
  });

  it("is a 404 for a unit without a log, and sends a signed-out person to sign in", async () => {
    stubFetch(jsonResponse({ detail: "Aucun journal" }, 404));
    await expectNotFound(() => Page(props));

    stubFetch(jsonResponse({ detail: "Could not validate credentials" }, 401));
    await expectRedirect(() => Page(props), "/login");
  });
});
