"""Data access, one module per resource (`app/repositories/<name>.py`).

A repository is built for one tenant and filters every query on it: another tenant's rows cannot be
read, changed or deleted through it (`session.get()` skips that filter: never use it here).
"""
