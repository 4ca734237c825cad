"""Logo uploads: only real images are kept, re-encoded under our own name, and served so no browser runs them."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from PIL import Image

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_bytes(fmt="PNG", size=(64, 64), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(client, world, name, content, content_type="image/png"):
    return client.post(reverse("stakeholders:organization_edit", args=["diy", world.org.pk]), {
        "name": world.org.name, "helix": "government",
        "logo": SimpleUploadedFile(name, content, content_type=content_type)})


def stored_logo(world):
    with scopes_disabled():
        world.org.refresh_from_db()
    return world.org.logo


def test_html_renamed_png_is_refused(world):
    response = upload(world.client_for(world.org_admin), world, "logo.png", HTML)
    assert response.status_code == 200
    assert "Logo bukan gambar" in response.content.decode()
    assert not stored_logo(world)
    assert not default_storage.exists("logos") or default_storage.listdir("logos") == ([], [])


def test_an_image_format_we_do_not_take_is_refused_whatever_its_name(world):
    tiff = image_bytes("TIFF")
    response = upload(world.client_for(world.org_admin), world, "logo.png", tiff)
    assert "Logo harus berupa gambar PNG, JPEG, WebP atau GIF" in response.content.decode()
    assert not stored_logo(world)


def test_huge_pixel_count_is_refused_before_decoding(world):
    # 6000 × 6000 of one colour compresses to a few kilobytes: the bytes are small, the pixels are not.
    bomb = image_bytes("PNG", size=(6000, 6000))
    assert len(bomb) < 2 * 1024 * 1024
    response = upload(world.client_for(world.org_admin), world, "logo.png", bomb)
    assert "Logo terlalu besar (6000 × 6000 piksel)" in response.content.decode()
    assert not stored_logo(world)


def test_image_with_html_glued_behind_is_reencoded_renamed_and_shrunk(world):
    polyglot = image_bytes("PNG", size=(1200, 600)) + HTML
    response = upload(world.client_for(world.org_admin), world, "<b>logo kami</b>.html.png", polyglot)
    assert response.status_code == 302
    logo = stored_logo(world)
    assert logo.name.startswith("logos/") and logo.name.endswith(".png") and "logo" not in logo.name[6:]
    stored = default_storage.open(logo.name).read()
    assert b"<script" not in stored and b"<html" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.size == (512, 256)


def test_jpeg_keeps_its_format_and_drops_its_metadata(world):
    exif = Image.Exif()
    exif[0x010E] = "GPS-secret"  # ImageDescription
    jpeg = image_bytes("JPEG", exif=exif.tobytes())
    assert b"GPS-secret" in jpeg
    assert upload(world.client_for(world.org_admin), world, "foto.JPEG", jpeg,
                  content_type="image/jpeg").status_code == 302
    logo = stored_logo(world)
    assert logo.name.endswith(".jpg")
    assert b"GPS-secret" not in default_storage.open(logo.name).read()


def test_admin_panel_upload_goes_through_the_same_checks(world):
    client = world.client_for(world.tenant_admin)
    url = reverse("admin:stakeholders_organization_change", args=[world.org.pk])
    response = client.post(url, {"name": world.org.name, "helix": "government",
                                 "logo": SimpleUploadedFile("logo.png", HTML, content_type="image/png")})
    assert response.status_code == 200 and "Logo bukan gambar" in response.content.decode()
    assert not stored_logo(world)


def test_logo_is_served_as_an_image_that_cannot_run_script(world, client):
    upload(world.client_for(world.org_admin), world, "logo.png", image_bytes())
    logo = stored_logo(world)
    page = world.client_for(world.staff).get(reverse("stakeholders:organization", args=["diy", world.org.pk]))
    assert f'src="{logo.url}"' in page.content.decode()
    response = client.get(logo.url)  # anonymous: logos are public
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", ["page.html", "page.svg", "notes.txt", "logo.png.html"])
def test_no_other_kind_of_file_is_served_even_when_it_sits_in_the_folder(client, name):
    default_storage.save(f"logos/{name}", io.BytesIO(HTML))
    assert client.get(f"/media/logos/{name}").status_code == 404


def test_other_upload_folders_and_traversal_are_not_served(client):
    default_storage.save("forums/minutes.png", io.BytesIO(image_bytes()))
    assert client.get("/media/forums/minutes.png").status_code == 404
    assert client.get("/media/logos/../forums/minutes.png").status_code == 404
    assert client.get("/media/logos/missing.png").status_code == 404
