"""blueprint.imports: which removed files a kept file imports (make undo's "Broken" list)."""

from __future__ import annotations

from blueprint.imports import broken, python_imports, python_module, ts_imports


def test_python_modules_are_named_from_the_backend_root() -> None:
    assert python_module("backend/app/services/campaigns.py") == "app.services.campaigns"
    assert python_module("backend/app/agents/scorer/__init__.py") == "app.agents.scorer"
    assert python_module("frontend/app/page.tsx") is None


def test_python_imports_absolute_from_and_relative() -> None:
    source = "import app.models.lead\nfrom app.services import campaigns\nfrom .schemas import Out\nfrom .. import x\n"
    found = python_imports("backend/app/agents/scorer/agent.py", source)
    assert {"app.models.lead", "app.services", "app.services.campaigns"} <= found
    assert {"app.agents.scorer.schemas", "app.agents.scorer.schemas.Out", "app.agents.x"} <= found
    assert python_imports("backend/app/x.py", "def (:") == set()


def test_ts_imports_alias_relative_and_folder_index() -> None:
    source = (
        'import { LeadCard } from "@/components/LeadCard";\n'
        "import type { Data } from './data';\n"
        'export * from "../shared/util.js";\n'
        'vi.mock("@/lib/api");\nimport React from "react";\n'
    )
    found = ts_imports("frontend/app/leads/page.tsx", source)
    assert found == {
        "frontend/components/LeadCard", "frontend/app/leads/data", "frontend/app/shared/util.js", "frontend/lib/api",
    }  # fmt: skip


def test_broken_names_each_kept_file_and_the_removed_files_it_imports() -> None:
    removed = [
        "backend/app/services/campaigns.py",
        "frontend/components/LeadCard/index.ts",
        "frontend/app/leads/data.ts",
        "frontend/app/shared/util.ts",
    ]
    kept = {
        "backend/tests/unit/test_campaigns.py": "from app.services.campaigns import list_campaigns\n",
        "backend/tests/unit/test_other.py": "from app.services import other\n",
        "frontend/app/leads/page.tsx": 'import { LeadCard } from "@/components/LeadCard";\nimport "./data";\n',
        "frontend/app/shared/x.ts": 'export * from "./util.js";\n',
        "docs/notes.md": "from app.services.campaigns import x\n",
    }
    assert broken(kept, removed) == {
        "backend/tests/unit/test_campaigns.py": ["backend/app/services/campaigns.py"],
        "frontend/app/leads/page.tsx": ["frontend/app/leads/data.ts", "frontend/components/LeadCard/index.ts"],
        "frontend/app/shared/x.ts": ["frontend/app/shared/util.ts"],
    }
