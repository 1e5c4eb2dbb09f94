import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from fyren.programs import services as svc
from fyren.programs.models import Element, Program, ProgramVersion
from fyren.programs.package import PackageError, export_package, import_package
from fyren.programs.tree import document, load_tree

from .conftest import add_image, fill_for_publishing
from .test_elements import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(studio, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    step = fill_for_publishing(studio.version)
    image = add_image(studio, step, png_bytes())
    svc.node_update(actor=studio.designer, node=image, condition={"ref": "x", "op": "exists"})
    return export_package(studio.version)


def rewrite(data: bytes, change) -> bytes:
    """Unpack, let ``change(manifest, files)`` alter it, and pack again."""
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {name: source.read(name) for name in source.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    change(manifest, files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, blob in files.items():
            archive.writestr(name, blob)
    return out.getvalue()


def test_a_package_round_trips_into_another_region(studio, package):
    imported = import_package(actor=studio.other_designer, region=studio.world.other_region, data=package)
    assert imported.program.owner == studio.world.other_region and imported.status == ProgramVersion.Status.DRAFT
    original, copy = document(load_tree(studio.version)), document(load_tree(imported))
    assert copy.pop("attribution").endswith("Imported from Region Test.")
    original.pop("attribution")
    assert copy == original
    assert Element.objects.get(version=imported, kind="image").asset.owner == studio.world.other_region


def _bad(manifest_change=None, files_change=None):
    def change(manifest, files):
        if manifest_change:
            manifest_change(manifest)
        if files_change:
            files_change(files)

    return change


def _first_element(manifest):
    return manifest["program"]["modules"][0]["sections"][0]["steps"][0]["elements"][0]


def _image(manifest):
    return manifest["program"]["modules"][0]["sections"][0]["steps"][0]["elements"][1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_bad(lambda m: m.update(format="other")), "not a Fyren program package"),
        (_bad(lambda m: m.update(format_version=99)), "format version 99"),
        (_bad(lambda m: m["program"].update(languages=["xx"])), "languages"),
        (_bad(lambda m: m["program"].update(kind="magic")), "unknown program kind"),
        (_bad(lambda m: _first_element(m).update(kind="hologram")), "unknown kind"),
        (_bad(lambda m: _first_element(m).update(key="not-a-uuid")), "no valid key"),
        (_bad(lambda m: _first_element(m).update(condition={"ref": "a", "op": "??"})), "malformed condition"),
        (_bad(lambda m: m["program"].update(title={"fr": "Bonjour"})), "language the program does not have"),
        (_bad(lambda m: _image(m).update(asset="0" * 64)), "not in the package"),
        (_bad(files_change=lambda f: f.update({"../../etc/passwd": b"x"})), "unexpected file"),
        (_bad(files_change=lambda f: f.update(dict.fromkeys(list(f), b"%PDF-1.4 not png"))), "checksum"),
    ],
)
def test_malformed_or_unsafe_packages_are_refused_and_change_nothing(studio, package, change, message):
    before = Program.objects.count()
    with pytest.raises(PackageError) as info:
        import_package(actor=studio.other_designer, region=studio.world.other_region, data=rewrite(package, change))
    assert message in " ".join(info.value.messages)
    assert Program.objects.count() == before


def test_a_file_that_is_not_what_it_claims_is_refused(studio, package):
    import hashlib

    exe = b"MZ\x90\x00pretend"
    sha = hashlib.sha256(exe).hexdigest()

    def change(manifest, files):
        files.clear()
        files[f"media/{sha}.png"] = exe
        _image(manifest)["asset"] = sha

    with pytest.raises(PackageError, match="not an allowed type"):
        import_package(actor=studio.other_designer, region=studio.world.other_region, data=rewrite(package, change))


def test_not_a_zip_is_refused(studio):
    with pytest.raises(PackageError, match="not a zip"):
        import_package(actor=studio.other_designer, region=studio.world.other_region, data=b"hello")


def test_only_designers_of_the_region_import(studio, package):
    with pytest.raises(PermissionDenied):
        import_package(actor=studio.designer, region=studio.world.other_region, data=package)
