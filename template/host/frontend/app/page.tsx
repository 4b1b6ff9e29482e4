import Link from "next/link";

import { accessToken } from "@/lib/api/auth";
import { cssVar } from "@/styles/tokens";

import { signOut } from "./login/actions";

const styles = {
  main: {
    maxWidth: "64rem",
    margin: "0 auto",
    padding: `${cssVar("space", "xxl")} ${cssVar("space", "lg")}`,
  },
  title: { fontSize: cssVar("fontSize", "display"), margin: 0 },
  lead: { color: cssVar("color", "textMuted"), fontSize: cssVar("fontSize", "lg") },
  button: {
    padding: `${cssVar("space", "sm")} ${cssVar("space", "md")}`,
    border: `1px solid ${cssVar("color", "border")}`,
    borderRadius: cssVar("radius", "md"),
    background: "transparent",
    cursor: "pointer",
  },
} as const;

/** The home page: where `/login` leads; it says whether the person is signed in, and lets them change it. */
export default async function HomePage() {
  const signedIn = (await accessToken()) !== undefined;
  return (
    <main style={styles.main}>
      <h1 style={styles.title}>VECTRA</h1>
      <p style={styles.lead}>La plateforme B2B multi-tenant.</p>
      {signedIn ? (
        <>
          <p>
            <Link href="/workflow">Suivi du workflow</Link>
          </p>
          <form action={signOut}>
            <button type="submit" style={styles.button}>
              Se déconnecter
            </button>
          </form>
        </>
      ) : (
        <Link href="/login">Se connecter</Link>
      )}
    </main>
  );
}
