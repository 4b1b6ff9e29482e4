"""API routes. Every module here that defines `router` (an APIRouter) is mounted under /api/v1.

Modules whose name starts with "_" are skipped.
"""
