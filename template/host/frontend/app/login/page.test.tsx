import { screen } from "@testing-library/react";

import { pageProps, renderPage } from "@/testing/render";

import LoginPage from "./page";

describe("LoginPage", () => {
  it("asks for a tenant and a user, in French", async () => {
    await renderPage(LoginPage, pageProps());

    expect(screen.getByRole("heading", { level: 1, name: "Se connecter" })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Tenant" })).toBeRequired();
    expect(screen.getByRole("textbox", { name: "Utilisateur" })).toHaveValue("dev");
    expect(screen.getByRole("button", { name: "Se connecter" })).toHaveAttribute("type", "submit");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("looks like the feature forms: their inputs and primary button (design tokens)", async () => {
    await renderPage(LoginPage, pageProps());

    expect(screen.getByRole("textbox", { name: "Tenant" }).style.padding).toBe("var(--space-sm)");
    // The style attribute, not style.border: happy-dom drops the var() of a border shorthand there.
    expect(screen.getByRole("textbox", { name: "Utilisateur" }).getAttribute("style")).toContain("var(--color-border)");
    expect(screen.getByRole("button", { name: "Se connecter" }).style.background).toBe("var(--color-primary)");
  });

  it("shows the message of a failed sign-in", async () => {
    await renderPage(LoginPage, pageProps({ searchParams: { erreur: "Connexion refusée" } }));

    expect(screen.getByRole("alert")).toHaveTextContent("Connexion refusée");
  });
});
