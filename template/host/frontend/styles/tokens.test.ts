import { readFileSync } from "node:fs";
import { join } from "node:path";

import { colors, cssVar, cssVarName, cssVariables, fontSizes, radii, spacing } from "./tokens";

const globalsCss = readFileSync(join(import.meta.dirname, "../app/globals.css"), "utf8");

/** The token custom properties declared in the :root block of app/globals.css. */
function rootTokenVariables(css: string): Record<string, string> {
  const root = /:root\s*\{([^}]*)\}/.exec(css)?.[1];
  if (root === undefined) {
    throw new Error("app/globals.css has no :root block");
  }
  const declared: Record<string, string> = {};
  for (const match of root.matchAll(/(--(?:color|space|radius|font-size)-[\w-]+)\s*:\s*([^;]+);/g)) {
    const [, name, value] = match;
    if (name !== undefined && value !== undefined) {
      declared[name] = value.trim();
    }
  }
  return declared;
}

describe("design tokens", () => {
  it("names CSS variables by group and kebab-cased key", () => {
    expect(cssVarName("color", "primaryHover")).toBe("--color-primary-hover");
    expect(cssVarName("space", "md")).toBe("--space-md");
    expect(cssVarName("radius", "full")).toBe("--radius-full");
    expect(cssVarName("fontSize", "display")).toBe("--font-size-display");
    expect(cssVar("color", "textMuted")).toBe("var(--color-text-muted)");
  });

  it("has one CSS variable per token", () => {
    const count =
      Object.keys(colors).length +
      Object.keys(spacing).length +
      Object.keys(radii).length +
      Object.keys(fontSizes).length;
    const variables = cssVariables();
    expect(Object.keys(variables)).toHaveLength(count);
    expect(variables["--color-primary"]).toBe(colors.primary);
    expect(variables["--font-size-xxl"]).toBe(fontSizes.xxl);
  });

  it("matches the :root variables of app/globals.css exactly", () => {
    expect(rootTokenVariables(globalsCss)).toEqual(cssVariables());
  });
});
