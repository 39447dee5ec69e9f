"""The parts of a PostgreSQL database's catalog that make up Helm's SQL storage schema."""

from __future__ import annotations

from typing import Any


def catalog(conninfo: str) -> dict[str, Any]:
    import psycopg

    queries = {
        "columns": "SELECT table_name, column_name, data_type, character_maximum_length, "
        "is_nullable, column_default FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = 'public' ORDER BY tablename, indexname",
        "constraints": "SELECT table_name, constraint_name, constraint_type FROM "
        "information_schema.table_constraints WHERE table_schema = 'public' "
        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1, 2",
        "row_security": "SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = 'public'::regnamespace ORDER BY relname",
        "public_grants": "SELECT table_name, privilege_type FROM "
        "information_schema.role_table_grants WHERE table_schema = 'public' "
        "AND grantee = 'PUBLIC' ORDER BY 1, 2",
        "migrations": "SELECT id FROM gorp_migrations ORDER BY id",
    }
    with psycopg.connect(conninfo) as db:
        return {k: [list(r) for r in db.execute(q)] for k, q in queries.items()}
