"""AI agents. Each subpackage `app/agents/<name>/` with a `tasks` module is seen by the worker."""
