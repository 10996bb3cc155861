"""Model files shipped in registry packages: manifest, assembly and sha256 verification."""

from mockmirror.models.registry import ModelError, ModelSpec, ModelStore, load_manifest

__all__ = ["ModelError", "ModelSpec", "ModelStore", "load_manifest"]
