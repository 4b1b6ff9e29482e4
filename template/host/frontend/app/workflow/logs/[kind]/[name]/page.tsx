import type { Metadata } from "next";
import Link from "next/link";

import { accessToken } from "@/lib/api/auth";
import { apiGet } from "@/lib/api/client";
import { orNotFound } from "@/lib/api/not-found";
import { orSignIn } from "@/lib/api/session";
import { Markdown } from "@/lib/workflow/markdown";
import { LogPage } from "@/lib/workflow/schema";
import { cssVar } from "@/styles/tokens";

export const metadata: Metadata = { title: "Journal d'activité" };

export interface WorkflowLogPageProps {
  params: Promise<{ kind: string; name: string }>;
}

const styles = {
  main: {
    maxWidth: "64rem",
    margin: "0 auto",
    padding: `${cssVar("space", "xl")} ${cssVar("space", "lg")}`,
  },
  path: { color: cssVar("color", "textMuted"), fontSize: cssVar("fontSize", "sm") },
  problems: { color: cssVar("color", "warning") },
} as const;

/** One unit's activity log (docs/workflow/logs/…), rendered as a page. */
export default async function WorkflowLogPage({ params }: WorkflowLogPageProps) {
  const { kind, name } = await params;
  const path = `/workflow/logs/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;
  const log = await orSignIn(orNotFound(apiGet(path, LogPage, { token: await accessToken(), cache: "no-store" })));
  return (
    <main style={styles.main}>
      <Link href="/workflow">← Suivi du workflow</Link>
      <h1>
        Journal · {log.label} · {log.name}
      </h1>
      <p style={styles.path}>
        <code>{log.path}</code>
      </p>
      {log.problems.map((problem) => (
        <p key={problem} style={styles.problems}>
          {problem}
        </p>
      ))}
      <article aria-label="Journal d'activité">
        <Markdown text={log.content} />
      </article>
    </main>
  );
}
