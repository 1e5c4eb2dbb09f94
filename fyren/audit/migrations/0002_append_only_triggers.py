"""On PostgreSQL, refuse UPDATE and DELETE on the access log and audit events at
the database, whatever the application does. (TRUNCATE stays possible for the
database owner, which test runs need; production grants the app role no TRUNCATE.)"""

from django.db import migrations

TABLES = ["audit_accesslogentry", "audit_auditevent"]

FUNCTION = """
CREATE OR REPLACE FUNCTION fyren_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'Fyren: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' is refused: the table is append-only',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION fyren_refuse_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS fyren_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
