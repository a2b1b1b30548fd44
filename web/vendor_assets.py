"""Third-party browser assets, served from the Python packages that ship them (pyproject.toml pins each): no CDN,
and nothing copied into the repository. The package's version is in the path, so each file is cached for good."""

from pathlib import Path

import xstatic.pkg.leaflet as leaflet
from fastapi import HTTPException, status
from fastapi.responses import FileResponse

VENDOR_ROUTE = "/static/vendor/{package}/{version}/{name:path}"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png"}
# What the pages use of each package, and nothing else of it (its source maps and ESM builds stay unserved).
PACKAGES = {"leaflet": (leaflet.VERSION, Path(leaflet.BASE_DIR), {"leaflet.js", "leaflet.css", "images/layers.png",
                                                                  "images/layers-2x.png", "images/marker-icon.png",
                                                                  "images/marker-icon-2x.png",
                                                                  "images/marker-shadow.png"})}  # fmt: skip


def vendor_url(package: str, name: str) -> str:
    version, _, files = PACKAGES[package]
    assert name in files, name
    return f"/static/vendor/{package}/{version}/{name}"


async def vendor_file(package: str, version: str, name: str) -> FileResponse:
    found = PACKAGES.get(package)
    if found is None or found[0] != version or name not in found[2]:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    return FileResponse(
        found[1] / name,
        media_type=TYPES[Path(name).suffix],
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
