"""Database constraints that exist only where the database can enforce them.

PostgreSQL enforces "no overlapping time ranges" with exclusion constraints (btree_gist). SQLite,
the embedded default, has no such thing: there the service functions' lock-check-write keeps the
rule, since SQLite serialises write transactions.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import DEFAULT_DB_ALIAS, connections


def _is_postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        # A row validated together with its siblings (a whole week in one form) is checked by
        # that form; comparing it with the old rows in the database would be wrong.
        if getattr(instance, "validated_as_a_set", False):
            return
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)
