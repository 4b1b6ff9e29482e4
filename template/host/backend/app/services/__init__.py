"""Business logic, one module per resource (`app/services/<name>.py`): a service uses its
repository, owns the transaction (commit, or rollback on a conflict) and raises domain errors that
the routes turn into HTTP answers.
"""
