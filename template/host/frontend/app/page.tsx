import { cssVar } from "@/styles/tokens";

export default function HomePage() {
  return (
    <main
      style={{
        maxWidth: "64rem",
        margin: "0 auto",
        padding: `${cssVar("space", "xxl")} ${cssVar("space", "lg")}`,
      }}
    >
      <h1 style={{ fontSize: cssVar("fontSize", "display"), margin: 0 }}>VECTRA</h1>
      <p style={{ color: cssVar("color", "textMuted"), fontSize: cssVar("fontSize", "lg") }}>
        La plateforme B2B multi-tenant.
      </p>
    </main>
  );
}
