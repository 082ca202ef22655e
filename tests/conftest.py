"""Shared fixtures: where the repository, its fixtures and the shared corpus are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SHARED = Path(os.environ.get("OPENLICENSE_SHARED", REPO.parent / "shared"))
CORPUS = Path(os.environ.get("OPENLICENSE_CORPUS", SHARED / "corpus"))
PEER_VECTORS = SHARED / "peer-vectors"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The development corpus (../shared/corpus); tests that need it skip when it is absent."""
    if not (CORPUS / "gold").is_dir():
        pytest.skip(f"no development corpus at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def peer_vectors() -> Path:
    if not PEER_VECTORS.is_dir():
        pytest.skip(f"no peer vectors at {PEER_VECTORS}")
    return PEER_VECTORS
