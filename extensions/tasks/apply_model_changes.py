"""Copier task: apply an alter_table unit's column changes to the table's model, in place.

The model file belongs to the unit that created the table; this unit's migration changes the table,
so the model must change with it or `alembic check` reports drift. The class is found by its
`__tablename__`; column statements are added, replaced or removed, each marked with a
`# vectra:unit database/<name>` line; imports are kept exact. Idempotent (copier runs tasks again on
every update); applied only while the unit's revision is a head (once later units changed the table,
re-applying an older unit would undo them); a no-op outside a VECTRA host (update's scratch renders).
Usage: apply_model_changes.py <answers file>
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "extensions"))

from blueprint import checks, columns, journal, model_source, unit, upsert  # noqa: E402
from blueprint.parts import database  # noqa: E402


def apply(dst: Path, answers_path: Path) -> str:
    answers = yaml.safe_load((dst / answers_path).read_text(encoding="utf-8"))
    current = unit.build({k: v for k, v in answers.items() if not k.startswith("_")}, ROOT)
    if "database" not in current.parts or not current.database.alters:
        return ""
    table = current.database.table
    if current.database.revision not in model_source.heads(dst / database.VERSIONS_DIR):
        # A later revision exists: later units may have changed these columns again (an update of
        # an older unit must not undo them). The model was changed when this unit was generated.
        return f"{'ignoré':>10}  le modèle de {table} : des révisions plus récentes suivent celle de {current.key}"
    model = model_source.find_model(dst / database.MODELS_DIR, table)
    if model is None:
        raise model_source.ModelEditError(
            f"plus aucun modèle de {database.MODELS_DIR} ne correspond à la table {table!r}"
        )
    new = model_source.apply(model, database.model_changes(current), current.key, dict(columns.IMPORTS))
    where = model.path.relative_to(dst).as_posix()
    if new == model.source:
        return f"{'inchangé':>10}  {where}  (classe {model.class_name}, colonnes de {current.key})"
    upsert.write_atomic(model.path, new)
    return f"{'modifié':>10}  {where}  (classe {model.class_name}, colonnes de {current.key})"


def main(argv: list[str]) -> int:
    dst = Path.cwd()
    if not checks.is_host(dst):
        return 0
    try:
        with journal.host_lock(dst):  # a no-op inside a copy or update, which already hold it
            line = apply(dst, Path(argv[1]))
        if line:
            print(line)
    except model_source.ModelEditError as error:
        print(
            f"vectra-blueprints : le modèle n'a pas été modifié : {error}. Modifiez-le à la main pour qu'il "
            "corresponde à la migration (le test de dérive de l'unité échoue tant que ce n'est pas le cas).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
