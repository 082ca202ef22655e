"""Findings: the flags openlicense raises, each with the evidence that triggered it.

A finding is a value (defined in :mod:`openlicense.model`, re-exported here). It names the flag
of the vocabulary (``data/flags.toml``) and says where it comes from: the file, the line and the
quoted text, or the metadata field, and which catalog entry, clause pattern or comparison
produced it, so that every finding can be traced. Flags are raised by the rules
(:func:`openlicense.judge.rules.raise_flag`), which know each flag's code and severity.
"""

from __future__ import annotations

from openlicense.model import Evidence, Flag, Severity, TextFinding

__all__ = ["Evidence", "Flag", "Severity", "TextFinding"]
