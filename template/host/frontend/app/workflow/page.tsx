import type { Metadata } from "next";
import Link from "next/link";

import { accessToken } from "@/lib/api/auth";
import { apiGet } from "@/lib/api/client";
import { orSignIn } from "@/lib/api/session";
import { filterUnits, needsAttention, parseFilters, type BoardFilters } from "@/lib/workflow/filters";
import { Board, logHref, statusLabel, TESTS_LABELS, type UnitRow } from "@/lib/workflow/schema";
import { cssVar } from "@/styles/tokens";

export const metadata: Metadata = { title: "Suivi du workflow" };

const styles = {
  main: {
    maxWidth: "80rem",
    margin: "0 auto",
    padding: `${cssVar("space", "xl")} ${cssVar("space", "lg")}`,
  },
  title: { margin: 0, fontSize: cssVar("fontSize", "xxl") },
  counts: { display: "flex", gap: cssVar("space", "md"), listStyle: "none", padding: 0 },
  form: { display: "flex", gap: cssVar("space", "md"), alignItems: "end", flexWrap: "wrap" },
  table: { width: "100%", borderCollapse: "collapse", fontSize: cssVar("fontSize", "sm") },
  cell: { padding: cssVar("space", "sm"), borderBottom: `1px solid ${cssVar("color", "border")}`, textAlign: "left" },
  attention: { background: cssVar("color", "surfaceMuted"), borderLeft: `4px solid ${cssVar("color", "danger")}` },
  flag: { color: cssVar("color", "danger"), fontWeight: 600 },
  problems: { color: cssVar("color", "warning") },
} as const;

export interface WorkflowPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** The host's units of work (STATUS.md, answers files, logs), filtered by status, kind and priority. */
export default async function WorkflowPage({ searchParams }: WorkflowPageProps) {
  const filters = parseFilters(await searchParams);
  const board = await orSignIn(apiGet("/workflow/units", Board, { token: await accessToken(), cache: "no-store" }));
  const units = filterUnits(board.units, filters);
  return (
    <main style={styles.main}>
      <h1 style={styles.title}>Suivi du workflow</h1>
      <ul aria-label="Unités par statut" style={styles.counts}>
        {Object.entries(board.counts).map(([status, count]) => (
          <li key={status}>
            <Link href={`/workflow?status=${encodeURIComponent(status)}`}>
              {statusLabel(status)} : <strong>{count}</strong>
            </Link>
          </li>
        ))}
      </ul>
      <Filters board={board} filters={filters} />
      {board.problems.length > 0 && (
        <ul aria-label="Fichiers lus en partie" style={styles.problems}>
          {board.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {units.length === 0 ? (
        <p>{board.units.length === 0 ? "Aucune unité de travail pour l'instant : `make new` en crée une." : "Aucune unité ne correspond à ces filtres."}</p>
      ) : (
        <table aria-label="Unités de travail" style={styles.table}>
          <thead>
            <tr>
              {["Type", "Nom", "Statut", "Priorité", "Date", "Coverage (cible)", "Tests", "Références", "Journal"].map((head) => (
                <th key={head} scope="col" style={styles.cell}>
                  {head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {units.map((unit) => (
              <UnitLine key={unit.key} unit={unit} />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function Filters({ board, filters }: { board: Board; filters: BoardFilters }) {
  const select = (name: keyof BoardFilters, label: string, options: [string, string][]) => (
    <label>
      {label}{" "}
      <select name={name} defaultValue={filters[name] ?? ""}>
        <option value="">Tous</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form method="get" action="/workflow" aria-label="Filtres" style={styles.form}>
      {select("status", "Statut", board.statuses.map((status) => [status, statusLabel(status)]))}
      {select("kind", "Type", Object.entries(board.kinds))}
      {select("priority", "Priorité", board.priorities.map((priority) => [priority, priority]))}
      <button type="submit">Filtrer</button>
      <Link href="/workflow">Effacer les filtres</Link>
    </form>
  );
}

function UnitLine({ unit }: { unit: UnitRow }) {
  const attention = needsAttention(unit);
  const refs = [unit.issue && `Issue ${unit.issue}`, unit.pr && `PR ${unit.pr}`].filter(Boolean).join(" · ");
  return (
    <tr data-unit={unit.key} data-status={unit.status} data-attention={attention ? "true" : undefined} style={attention ? styles.attention : undefined}>
      <td style={styles.cell}>{unit.label}</td>
      <td style={styles.cell}>{unit.name}</td>
      <td style={styles.cell}>
        {unit.status === "blocked" ? <span style={styles.flag}>⛔ {statusLabel(unit.status)}</span> : statusLabel(unit.status)}
      </td>
      <td style={styles.cell}>{unit.priority ?? "—"}</td>
      <td style={styles.cell}>{unit.date ?? "—"}</td>
      <td style={styles.cell}>
        {unit.coverage ?? "à mesurer"} ({unit.coverage_target ?? "—"})
        {unit.below_target && <span style={styles.flag}> ⚠ sous la cible</span>}
      </td>
      <td style={styles.cell}>{TESTS_LABELS[unit.tests]}</td>
      <td style={styles.cell}>{refs || "—"}</td>
      <td style={styles.cell}>{unit.log_path ? <Link href={logHref(unit)}>Journal</Link> : "—"}</td>
    </tr>
  );
}
