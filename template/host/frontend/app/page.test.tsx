import { screen } from "@testing-library/react";

import { setCookies } from "@/testing/next-headers";
import { renderPage } from "@/testing/render";

import HomePage from "./page";

describe("HomePage", () => {
  it("renders the VECTRA heading inside the main landmark", async () => {
    await renderPage(HomePage, {});

    const main = screen.getByRole("main");
    expect(main).toContainElement(screen.getByRole("heading", { level: 1, name: "VECTRA" }));
    expect(main).toHaveTextContent("La plateforme B2B multi-tenant.");
  });

  it("leads to /login without a session", async () => {
    await renderPage(HomePage, {});

    expect(screen.getByRole("link", { name: "Se connecter" })).toHaveAttribute("href", "/login");
    expect(screen.queryByRole("button", { name: "Se déconnecter" })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Suivi du workflow" })).not.toBeInTheDocument();
  });

  it("offers to sign out to a signed-in person", async () => {
    setCookies({ vectra_access_token: "token-a" });

    await renderPage(HomePage, {});

    expect(screen.getByRole("button", { name: "Se déconnecter" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Suivi du workflow" })).toHaveAttribute("href", "/workflow");
    expect(screen.queryByRole("link", { name: "Se connecter" })).not.toBeInTheDocument();
  });

  it("uses the design tokens, not raw values", async () => {
    await renderPage(HomePage, {});

    expect(screen.getByRole("heading", { level: 1 }).style.fontSize).toBe("var(--font-size-display)");
  });
});
