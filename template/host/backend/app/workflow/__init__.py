"""The workflow board: the host's units of work, read from what the workflow already writes.

Nothing here writes: `make new`, `make status`, `make update` and `make check` write the answers
files, the STATUS.md entries and the logs; `board.read_board()` reads them back, tolerating
hand-edited and damaged files (what can be read is shown, the rest is named in `problems`).
"""
