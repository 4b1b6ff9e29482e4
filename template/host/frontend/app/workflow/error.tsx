"use client";

import { cssVar } from "@/styles/tokens";

const styles = {
  main: { padding: `${cssVar("space", "xl")} ${cssVar("space", "lg")}` },
  title: { margin: 0, fontSize: cssVar("fontSize", "xxl") },
  text: { color: cssVar("color", "textMuted") },
  button: {
    padding: `${cssVar("space", "sm")} ${cssVar("space", "md")}`,
    border: "none",
    borderRadius: cssVar("radius", "md"),
    background: cssVar("color", "primary"),
    color: cssVar("color", "primaryContrast"),
    cursor: "pointer",
  },
} as const;

export interface WorkflowErrorProps {
  error: Error & { digest?: string };
  /** Re-renders the segment. */
  reset: () => void;
  /** Refetches the segment's server data, then re-renders it: what a failed load needs. */
  retry: () => void;
}

/** /workflow and its logs when the backend could not be reached (any error but a 404): Next's error boundary. */
export default function WorkflowError({ error, retry }: WorkflowErrorProps) {
  return (
    <main style={styles.main}>
      <div role="alert">
        <h1 style={styles.title}>Impossible de charger le suivi du workflow</h1>
        <p style={styles.text}>
          Le backend n&apos;a pas répondu (est-il lancé ? `make dev`). Réessayez dans un instant.
          {error.digest ? ` Référence : ${error.digest}.` : null}
        </p>
      </div>
      <button type="button" onClick={() => retry()} style={styles.button}>
        Réessayer
      </button>
    </main>
  );
}
