import type { Metadata } from "next";

import { cssVar } from "@/styles/tokens";

import { signIn } from "./actions";
import { ERROR_PARAM, MAX_TENANT_LENGTH, MAX_USER_LENGTH } from "./sign-in";

export const metadata: Metadata = { title: "Se connecter" };

export interface LoginPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

// The same look as the feature forms' inputs and button (components/forms/FieldInput.tsx).
const styles = {
  field: { display: "grid", gap: cssVar("space", "xs"), fontWeight: 600 },
  input: {
    padding: cssVar("space", "sm"),
    border: `1px solid ${cssVar("color", "border")}`,
    borderRadius: cssVar("radius", "sm"),
    fontSize: cssVar("fontSize", "md"),
    fontWeight: 400,
  },
  button: {
    justifySelf: "start",
    padding: `${cssVar("space", "sm")} ${cssVar("space", "md")}`,
    border: "none",
    borderRadius: cssVar("radius", "md"),
    background: cssVar("color", "primary"),
    color: cssVar("color", "primaryContrast"),
    cursor: "pointer",
  },
} as const;

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const raw = (await searchParams)[ERROR_PARAM];
  const error = Array.isArray(raw) ? raw[0] : raw;
  return (
    <main
      style={{
        maxWidth: "28rem",
        margin: "0 auto",
        padding: `${cssVar("space", "xxl")} ${cssVar("space", "lg")}`,
      }}
    >
      <h1 style={{ fontSize: cssVar("fontSize", "display"), margin: 0 }}>Se connecter</h1>
      <p style={{ color: cssVar("color", "textMuted") }}>
        Connexion de développement : choisissez un tenant et un utilisateur, sans mot de passe. En production, le
        jeton vient du fournisseur d&apos;identité de l&apos;équipe.
      </p>
      {error ? (
        <p role="alert" style={{ color: cssVar("color", "danger") }}>
          {error}
        </p>
      ) : null}
      <form action={signIn} style={{ display: "grid", gap: cssVar("space", "md") }}>
        <label style={styles.field}>
          Tenant
          <input
            name="tenant"
            required
            maxLength={MAX_TENANT_LENGTH}
            autoComplete="organization"
            style={styles.input}
          />
        </label>
        <label style={styles.field}>
          Utilisateur
          <input
            name="user"
            required
            maxLength={MAX_USER_LENGTH}
            defaultValue="dev"
            autoComplete="username"
            style={styles.input}
          />
        </label>
        <button type="submit" style={styles.button}>
          Se connecter
        </button>
      </form>
    </main>
  );
}
