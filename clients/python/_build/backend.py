"""A PEP 517 build backend made of the standard library, for this one pure-Python package.

pip builds a package in an isolated environment and installs its backend there first; with
setuptools that means reaching a package index, which machines without one cannot. This backend
needs nothing installed (tomli only on Python before 3.11), so `pip install ./clients/python`
works offline. It packs src/notify_client with metadata taken from pyproject.toml.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: pyproject.toml asks pip for tomli there
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE_DIR = os.path.join(ROOT, "src")
# Fixed times make the same source build the same archive.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _project() -> dict:
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def _dist_name(project: dict) -> str:
    return re.sub(r"[-_.]+", "_", project["name"]).lower()


def _metadata(project: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
    ]
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    license_text = project.get("license", {}).get("text")
    if license_text:
        lines.append(f"License: {license_text}")
    for requirement in project.get("dependencies", []):
        lines.append(f"Requires-Dist: {requirement}")
    readme = project.get("readme")
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(ROOT, readme), encoding="utf-8") as f:
            return "\n".join(lines) + "\n\n" + f.read()
    return "\n".join(lines) + "\n"


def _package_files() -> list:
    """(path on disk, path in the wheel) of every module and marker file of the package."""
    found = []
    for folder, dirs, files in os.walk(PACKAGE_DIR):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py") or name == "py.typed":
                path = os.path.join(folder, name)
                found.append((path, os.path.relpath(path, PACKAGE_DIR).replace(os.sep, "/")))
    return found


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory: str, contents: list) -> str:
    """contents: (name in the wheel, bytes). Adds the dist-info files and returns the wheel's file name."""
    project = _project()
    name, version = _dist_name(project), project["version"]
    dist_info = f"{name}-{version}.dist-info"
    wheel_meta = "Wheel-Version: 1.0\nGenerator: notify-client-backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries = list(contents) + [
        (f"{dist_info}/METADATA", _metadata(project).encode("utf-8")),
        (f"{dist_info}/WHEEL", wheel_meta.encode("utf-8")),
    ]
    record = "\n".join([_record_line(n, d) for n, d in entries] + [f"{dist_info}/RECORD,,"]) + "\n"
    entries.append((f"{dist_info}/RECORD", record.encode("utf-8")))
    filename = f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for arcname, data in entries:
            info = zipfile.ZipInfo(arcname, ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return filename


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, [(arcname, _read(path)) for path, arcname in _package_files()])


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth line puts src/ on sys.path, so edits to the source take effect without reinstalling.
    name = _dist_name(_project())
    return _write_wheel(wheel_directory, [(f"_{name}_editable.pth", (PACKAGE_DIR + "\n").encode("utf-8"))])


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = f"{_dist_name(project)}-{project['version']}"
    filename = f"{base}.tar.gz"
    members = [os.path.join(ROOT, "pyproject.toml"), os.path.join(ROOT, "README.md"), os.path.abspath(__file__)]
    members += [path for path, _ in _package_files()]
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as sdist:
        def add(arcname: str, data: bytes) -> None:
            info = tarfile.TarInfo(f"{base}/{arcname}")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            sdist.addfile(info, io.BytesIO(data))
        for path in members:
            add(os.path.relpath(path, ROOT).replace(os.sep, "/"), _read(path))
        add("PKG-INFO", _metadata(project).encode("utf-8"))
    return filename
