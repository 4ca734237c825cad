"""Region reference data: the loader and the migration give each province of the shipped files its capital city."""

import io
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django_scopes import scope

from stakeholders.models import Region
from stakeholders.regions import DATA_DIR, load_regions
from tests.conftest import make_tenant


def test_the_region_files_give_each_province_its_capital_and_no_kabupaten_one(db):
    expected = {"regions-diy.csv": ("34", "Yogyakarta"), "regions-jateng.csv": ("33", "Semarang")}
    for n, path in enumerate(sorted(DATA_DIR.glob("regions-*.csv"))):
        code, capital = expected[path.name]
        tenant = make_tenant(f"t{n}", f"SATUSAMA {n}", code, [])
        load_regions(tenant=tenant, path=path)
        with scope(tenant=tenant):
            assert Region.objects.get(kind="provinsi").capital == capital
            assert not Region.objects.exclude(kind="provinsi").exclude(capital="").exists()


def test_a_file_without_the_capital_column_keeps_the_stored_capital(db, tmp_path):
    tenant = make_tenant("diy", "SATUSAMA DIY", "34", [])
    load_regions(tenant=tenant, path=DATA_DIR / "regions-diy.csv")
    old_style = tmp_path / "regions.csv"
    old_style.write_text("code,name,kind\n34,Daerah Istimewa Yogyakarta,provinsi\n34.04,Sleman,kabupaten\n")
    call_command("load_regions", "--tenant", "diy", str(old_style), verbosity=0, stdout=io.StringIO())
    with scope(tenant=tenant):
        assert Region.objects.get(code="34").capital == "Yogyakarta"


def test_the_migration_fills_the_capital_of_provinces_already_loaded(db):
    migration = import_module("stakeholders.migrations.0004_region_capital")
    diy = make_tenant("diy", "SATUSAMA DIY", "34", [("34", "Daerah Istimewa Yogyakarta", "provinsi"),
                                                    ("34.04", "Sleman", "kabupaten")])
    jateng = make_tenant("jateng", "SATUSAMA Jawa Tengah", "33", [("33", "Jawa Tengah", "provinsi")])
    with scope(tenant=jateng):
        Region.objects.filter(code="33").update(capital="Kota Semarang")  # typed in by an administrator: kept
    migration.fill(apps, None)
    with scope(tenant=diy):
        assert dict(Region.objects.values_list("code", "capital")) == {"34": "Yogyakarta", "34.04": ""}
    with scope(tenant=jateng):
        assert Region.objects.get(code="33").capital == "Kota Semarang"

