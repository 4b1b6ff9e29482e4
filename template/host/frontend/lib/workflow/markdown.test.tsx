import { render, screen, within } from "@testing-library/react";

import { Markdown, parseBlocks } from "./markdown";

const LOG = `# API Endpoint - campaigns

**Date:** 2026-12-01  
**Statut:** in_progress

## Étapes Réalisées

- [x] Créer le log : \`docs/workflow/logs/api/x.md\`
- [ ] Mettre à jour le log

1. premier
2. second

\`\`\`bash
make check unit=api/campaigns
\`\`\`
Issue \\#12 <script>alert("x")</script>
`;

describe("parseBlocks", () => {
  it("reads headings, paragraphs, task lists, ordered lists and code", () => {
    expect(parseBlocks(LOG).map((block) => block.type)).toEqual([
      "heading",
      "paragraph",
      "heading",
      "list",
      "list",
      "code",
      "paragraph",
    ]);
  });

  it("ends a list at a blank line", () => {
    expect(parseBlocks("- a\n\n- b\n").filter((block) => block.type === "list")).toHaveLength(2);
  });
});

describe("Markdown", () => {
  it("renders a log as headings, ticked steps and code, shifted under the page's title", () => {
    const { container } = render(<Markdown text={LOG} />);

    expect(screen.getByRole("heading", { level: 2, name: "API Endpoint - campaigns" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 3, name: "Étapes Réalisées" })).toBeInTheDocument();
    const [ticked, open] = screen.getAllByRole("checkbox") as [HTMLInputElement, HTMLInputElement];
    expect(ticked.checked).toBe(true);
    expect(open.checked).toBe(false);
    expect(within(screen.getAllByRole("list")[0] as HTMLElement).getByText("docs/workflow/logs/api/x.md").tagName).toBe("CODE");
    expect(screen.getByText("Statut:").tagName).toBe("STRONG");
    expect(container.querySelector("pre code")?.textContent).toBe("make check unit=api/campaigns");
    expect(screen.getAllByRole("listitem").map((item) => item.textContent?.trim())).toContain("second");
  });

  it("shows HTML in a log as text, never as markup", () => {
    const { container } = render(<Markdown text={'<img src=x onerror="alert(1)"> et <script>alert(2)</script>'} />);

    expect(container.querySelector("img, script")).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror="alert(1)"> et <script>alert(2)</script>');
  });

  it("undoes Markdown escapes", () => {
    const { container } = render(<Markdown text={"Issue \\#12"} />);
    expect(container.textContent).toBe("Issue #12");
  });
});
