/**
 * VECTRA design tokens.
 *
 * The single source of truth for colours, spacing, radii and font sizes. Each token also exists
 * as a CSS custom property in `app/globals.css` (`--color-primary`, `--space-md`, `--radius-md`,
 * `--font-size-md`, ...); `styles/tokens.test.ts` fails if the two drift apart.
 *
 * In components prefer the CSS variables (`var(--color-primary)`, or `cssVar("color", "primary")`)
 * so a theme can override them; read the raw values only where CSS cannot be used.
 */

export const colors = {
  background: "#ffffff",
  surface: "#f8fafc",
  surfaceMuted: "#f1f5f9",
  border: "#e2e8f0",
  text: "#0f172a",
  textMuted: "#475569",
  primary: "#1d4ed8",
  primaryHover: "#1e40af",
  primaryContrast: "#ffffff",
  success: "#15803d",
  warning: "#b45309",
  danger: "#b91c1c",
  focus: "#2563eb",
} as const;

export const spacing = {
  none: "0",
  xs: "0.25rem",
  sm: "0.5rem",
  md: "1rem",
  lg: "1.5rem",
  xl: "2rem",
  xxl: "3rem",
} as const;

export const radii = {
  none: "0",
  sm: "0.25rem",
  md: "0.5rem",
  lg: "0.75rem",
  full: "9999px",
} as const;

export const fontSizes = {
  xs: "0.75rem",
  sm: "0.875rem",
  md: "1rem",
  lg: "1.125rem",
  xl: "1.25rem",
  xxl: "1.5rem",
  display: "2rem",
} as const;

export const tokens = { colors, spacing, radii, fontSizes } as const;

export type ColorToken = keyof typeof colors;
export type SpacingToken = keyof typeof spacing;
export type RadiusToken = keyof typeof radii;
export type FontSizeToken = keyof typeof fontSizes;

/** CSS variable prefix of each token group: `--color-*`, `--space-*`, `--radius-*`, `--font-size-*`. */
export const cssVarPrefixes = {
  color: "color",
  space: "space",
  radius: "radius",
  fontSize: "font-size",
} as const;

export type TokenGroup = keyof typeof cssVarPrefixes;

interface TokenKeys {
  color: ColorToken;
  space: SpacingToken;
  radius: RadiusToken;
  fontSize: FontSizeToken;
}

const groups: { [G in TokenGroup]: Readonly<Record<TokenKeys[G], string>> } = {
  color: colors,
  space: spacing,
  radius: radii,
  fontSize: fontSizes,
};

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The custom property name of a token: `cssVarName("color", "primaryHover")` → `--color-primary-hover`. */
export function cssVarName<G extends TokenGroup>(group: G, key: TokenKeys[G]): string {
  return `--${cssVarPrefixes[group]}-${kebab(key)}`;
}

/** A `var(...)` reference to a token, for inline styles: `cssVar("space", "md")` → `var(--space-md)`. */
export function cssVar<G extends TokenGroup>(group: G, key: TokenKeys[G]): string {
  return `var(${cssVarName(group, key)})`;
}

/** Every token as `{ "--color-primary": "#1d4ed8", ... }`: what `:root` in globals.css declares. */
export function cssVariables(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of Object.keys(groups) as TokenGroup[]) {
    const values: Readonly<Record<string, string>> = groups[group];
    for (const [key, value] of Object.entries(values)) {
      out[`--${cssVarPrefixes[group]}-${kebab(key)}`] = value;
    }
  }
  return out;
}
