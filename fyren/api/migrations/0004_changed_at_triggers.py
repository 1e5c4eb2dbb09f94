"""``changed_at`` is set by the database on every UPDATE of the rows the FHIR
server serves with ``meta.lastUpdated`` (and searches by ``_lastUpdated``, and
bulk-exports by ``_since``), so no write can forget it — not a service's
``QuerySet.update()``, not a data migration. A change to a child row that the
resource shows (an episode's points and pauses, a slot's bookings) touches the
parent too. PostgreSQL: a BEFORE UPDATE trigger; SQLite: AFTER triggers that set
it when the update itself did not. On both, an UPDATE that sets ``changed_at``
itself keeps its value (a data migration, a test)."""

from django.db import migrations

TABLES = [
    "people_citizen",
    "care_enrolment",
    "careplans_contract",
    "episodes_episode",
    "episodes_carerequest",
    "booking_booking",
    "booking_slot",
    "booking_schedule",
]
# child table → (its column pointing at the parent, the parent table)
CHILDREN = {
    "episodes_episodepoint": ("episode_id", "episodes_episode"),
    "episodes_episodepause": ("episode_id", "episodes_episode"),
    "booking_booking": ("slot_id", "booking_slot"),
}
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION fyren_touch_changed_at() RETURNS trigger AS $$
BEGIN
    IF NEW.changed_at IS NOT DISTINCT FROM OLD.changed_at THEN
        NEW.changed_at = clock_timestamp();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
# (%% is one % once the database driver has read the statement.)
PG_PARENT_FUNCTION = """
CREATE OR REPLACE FUNCTION fyren_touch_parent() RETURNS trigger AS $$
DECLARE
    row_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT ($1).%%I', TG_ARGV[0]) INTO row_id USING OLD;
    ELSE
        EXECUTE format('SELECT ($1).%%I', TG_ARGV[0]) INTO row_id USING NEW;
    END IF;
    EXECUTE format('UPDATE %%I SET changed_at = clock_timestamp() WHERE id = $1', TG_ARGV[1]) USING row_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_PARENT_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_changed_at BEFORE UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION fyren_touch_changed_at();"
            )
        for child, (column, parent) in CHILDREN.items():
            schema_editor.execute(
                f"CREATE TRIGGER {child}_touches_parent AFTER INSERT OR UPDATE OR DELETE ON {child} "
                f"FOR EACH ROW EXECUTE FUNCTION fyren_touch_parent('{column}', '{parent}');"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_changed_at AFTER UPDATE ON {table} "  # noqa: S608 - names are constants
                f"FOR EACH ROW WHEN NEW.changed_at IS OLD.changed_at "
                f"BEGIN UPDATE {table} SET changed_at = {SQLITE_NOW} WHERE id = NEW.id; END;"
            )
        for child, (column, parent) in CHILDREN.items():
            for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                schema_editor.execute(
                    f"CREATE TRIGGER {child}_touches_parent_{event.lower()} AFTER {event} ON {child} "  # noqa: S608
                    f"FOR EACH ROW BEGIN UPDATE {parent} SET changed_at = {SQLITE_NOW} "
                    f"WHERE id = {row}.{column}; END;"
                )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_changed_at ON {table};")
        for child in CHILDREN:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {child}_touches_parent ON {child};")
        schema_editor.execute("DROP FUNCTION IF EXISTS fyren_touch_changed_at();")
        schema_editor.execute("DROP FUNCTION IF EXISTS fyren_touch_parent();")
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_changed_at;")
        for child in CHILDREN:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {child}_touches_parent_{event};")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_bulk_levels_and_type_filters"),
        ("people", "0004_changed_at"),
        ("care", "0012_changed_at"),
        ("careplans", "0004_changed_at"),
        ("episodes", "0002_changed_at"),
        ("booking", "0007_changed_at"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
