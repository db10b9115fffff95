"""Draw the site's icons (templates/assets/icons/): a white shopping bag on the accent blue, for the web app
manifest (192 and 512 px, « any maskable »: the drawing stays inside the safe central circle) and the
Apple touch icon. Run once: `python scripts/make_icons.py` (needs Pillow); the PNGs are committed."""

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (11, 95, 165)
FOLDER = Path(__file__).resolve().parents[1] / "templates" / "assets" / "icons"


def icon(size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), ACCENT)
    draw = ImageDraw.Draw(image)
    u = size / 100
    draw.rounded_rectangle((30 * u, 38 * u, 70 * u, 74 * u), radius=4 * u, fill="white")  # the bag
    draw.arc((39 * u, 24 * u, 61 * u, 50 * u), 180, 360, fill="white", width=max(2, round(4 * u)))  # its handle
    draw.polygon(
        [(42 * u, 56 * u), (48 * u, 63 * u), (59 * u, 49 * u), (62 * u, 52 * u), (48 * u, 68 * u), (39 * u, 59 * u)],
        fill=ACCENT,
    )  # a check mark: ready to collect
    return image


if __name__ == "__main__":
    FOLDER.mkdir(parents=True, exist_ok=True)
    for size, name in ((192, "icon-192.png"), (512, "icon-512.png"), (180, "apple-touch-icon.png")):
        icon(size).save(FOLDER / name, optimize=True)
