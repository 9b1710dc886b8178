"""The audit log refuses updates in the database itself (PostgreSQL and SQLite triggers)."""

from django.db import migrations

# The audit log is append-only in the database too, so no code path (nor a raw UPDATE) can rewrite
# it. The one update allowed is Django's own SET_NULL of `actor` when a user account is deleted.
FROZEN = "at, municipality_id, via, ip_address, action, subject, subject_id, detail"

POSTGRES = f"""
CREATE FUNCTION privacy_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF ROW({", ".join("NEW." + c.strip() for c in FROZEN.split(","))})
       IS DISTINCT FROM ROW({", ".join("OLD." + c.strip() for c in FROZEN.split(","))})
     OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id) THEN
    RAISE EXCEPTION 'The audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_audit_append_only BEFORE UPDATE ON privacy_auditevent
  FOR EACH ROW EXECUTE FUNCTION privacy_audit_append_only();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS privacy_audit_append_only ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_audit_append_only();
"""
SQLITE = f"""
CREATE TRIGGER privacy_audit_append_only BEFORE UPDATE ON privacy_auditevent
WHEN {" OR ".join(f"NEW.{c.strip()} IS NOT OLD.{c.strip()}" for c in FROZEN.split(","))}
  OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS NOT OLD.actor_id)
BEGIN SELECT RAISE(ABORT, 'The audit log is append-only'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS privacy_audit_append_only;"


def append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def drop_append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(append_only, drop_append_only, elidable=False)]
