// Tests of the workflow board (/workflow): what it shows of GET /workflow/units, its filters.
import { render, screen, within } from "@testing-library/react";

import { ACCESS_TOKEN_COOKIE } from "@/lib/api/auth";
import { ApiValidationError } from "@/lib/api/client";
import { sampleBoard, sampleUnit } from "@/lib/workflow/sample";
import { jsonResponse, lastFetch, stubFetch } from "@/testing/fetch";
import { setCookies } from "@/testing/next-headers";
import { expectRedirect } from "@/testing/next-navigation";
import { pageProps, renderPage } from "@/testing/render";

import Page from "./page";

const api = sampleUnit({
  coverage: "api 62%",
  below_target: true,
  tests: "fail",
  issue: "#12",
  pr: "#40",
  priority: "P0",
});
const fix = sampleUnit({
  key: "fix/celery-startup",
  kind: "fix",
  label: "Fix/Bug",
  name: "celery-startup",
  status: "blocked",
  coverage_target: null,
  log_path: null,
});
const card = sampleUnit({
  key: "component/lead-card",
  kind: "component",
  label: "Component",
  name: "lead-card",
  status: "completed",
  priority: "P2",
  coverage: "component 91%",
  coverage_target: "70%",
  tests: "pass",
});
const board = sampleBoard([api, fix, card], ["docs/workflow/STATUS.md n'est pas en UTF-8"]);

function rows(): HTMLElement[] {
  return within(screen.getByRole("table", { name: "Unités de travail" })).getAllByRole("row").slice(1);
}

function rowOf(name: string): HTMLElement {
  const found = rows().find((row) => within(row).queryByRole("cell", { name }));
  if (!found) throw new Error(`no row for ${name}`);
  return found;
}

describe("/workflow", () => {
  it("lists every unit with its type, status, priority, date, coverage, tests, references and log", async () => {
    setCookies({ [ACCESS_TOKEN_COOKIE]: "token-a" });
    const fetchMock = stubFetch(jsonResponse(board));

    await renderPage(Page, pageProps());

    expect(screen.getByRole("heading", { level: 1, name: "Suivi du workflow" })).toBeInTheDocument();
    expect(rows()).toHaveLength(3);
    const cells = within(rowOf("campaigns")).getAllByRole("cell").map((cell) => cell.textContent);
    expect(cells).toEqual([
      "API Endpoint",
      "campaigns",
      "En cours",
      "P0",
      "2026-12-01",
      "api 62% (80%) ⚠ sous la cible",
      "❌ échouent",
      "Issue #12 · PR #40",
      "Journal",
    ]);
    expect(within(rowOf("campaigns")).getByRole("link", { name: "Journal" })).toHaveAttribute("href", "/workflow/logs/api/campaigns");
    expect(within(rowOf("celery-startup")).getAllByRole("cell").map((cell) => cell.textContent)).toEqual([
      "Fix/Bug",
      "celery-startup",
      "⛔ Bloqué",
      "P1",
      "2026-12-01",
      "à mesurer (—)",
      "non vérifié",
      "—",
      "—",
    ]);
    expect(lastFetch(fetchMock).url).toBe("http://localhost:8000/api/v1/workflow/units");
    expect(lastFetch(fetchMock).headers.get("Authorization")).toBe("Bearer token-a");
    expect(fetchMock.mock.calls[0]?.[1]?.cache).toBe("no-store");
    expect(screen.getByRole("list", { name: "Fichiers lus en partie" })).toHaveTextContent("n'est pas en UTF-8");
  });

  it("makes blocked units and units below their target stand out", async () => {
    stubFetch(jsonResponse(board));

    await renderPage(Page, pageProps());

    expect(rowOf("campaigns")).toHaveAttribute("data-attention", "true");
    expect(rowOf("celery-startup")).toHaveAttribute("data-attention", "true");
    expect(rowOf("lead-card")).not.toHaveAttribute("data-attention");
  });

  it("counts the units of each status, each count linking to its filter", async () => {
    stubFetch(jsonResponse(board));

    await renderPage(Page, pageProps());

    const counts = within(screen.getByRole("list", { name: "Unités par statut" })).getAllByRole("link");
    expect(counts.map((link) => link.textContent)).toEqual(["En cours : 1", "Terminé : 1", "Bloqué : 1"]);
    expect(counts[2]).toHaveAttribute("href", "/workflow?status=blocked");
  });

  it.each([
    [{ status: "blocked" }, ["celery-startup"]],
    [{ kind: "component" }, ["lead-card"]],
    [{ priority: "P0" }, ["campaigns"]],
    [{ status: "completed", kind: "api" }, []],
  ])("filters by %j", async (searchParams, names) => {
    stubFetch(jsonResponse(board));

    await renderPage(Page, pageProps({ searchParams }));

    if (names.length === 0) {
      expect(screen.getByText("Aucune unité ne correspond à ces filtres.")).toBeInTheDocument();
    } else {
      expect(rows().map((row) => within(row).getAllByRole("cell")[1]?.textContent)).toEqual(names);
    }
    const form = screen.getByRole("form", { name: "Filtres" });
    for (const [key, value] of Object.entries(searchParams)) {
      expect((form.querySelector(`select[name="${key}"]`) as HTMLSelectElement).value).toBe(value);
    }
  });

  it("offers the guide's statuses, types and priorities as filters", async () => {
    stubFetch(jsonResponse(board));

    await renderPage(Page, pageProps());

    const kind = screen.getByRole("combobox", { name: "Type" });
    expect(within(kind).getAllByRole("option").map((option) => option.textContent)).toEqual([
      "Tous",
      "API Endpoint",
      "Fix/Bug",
      "Component",
    ]);
    expect(within(screen.getByRole("combobox", { name: "Statut" })).getAllByRole("option")).toHaveLength(4);
  });

  it("says so when the host has no unit yet", async () => {
    stubFetch(jsonResponse(sampleBoard([])));

    await renderPage(Page, pageProps());

    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getByText(/Aucune unité de travail pour l'instant/)).toBeInTheDocument();
  });

  it("sends a person who is not signed in to the sign-in page", async () => {
    stubFetch(jsonResponse({ detail: "Could not validate credentials" }, 401));

    await expectRedirect(() => Page(pageProps()), "/login");
  });

  it("refuses a body that is not a board", async () => {
    stubFetch(jsonResponse({ units: "nope" }));

    await expect(Page(pageProps())).rejects.toBeInstanceOf(ApiValidationError);
  });
});

it("renders without a server (a smoke test of the whole element tree)", async () => {
  stubFetch(jsonResponse(board));
  const { container } = render(await Page(pageProps()));
  expect(container.querySelectorAll("tbody tr")).toHaveLength(3);
});
