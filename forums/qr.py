"""The check-in QR code, as inline SVG (no image request, no inline style: CSP-safe)."""

import qrcode
import qrcode.image.svg


def checkin_qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")
