"""Read a Hugging Face model repository, or one model card, into a :class:`Release`.

A model card is a ``README.md`` whose YAML front matter declares the license (``license``, or
``license: other`` with ``license_name``/``license_link``), the base models, the datasets and the
download gate (``gated``, ``extra_gated_*``). Its Markdown body says the rest: whether the model
calls itself open, whether the training data is described, where the code is, and what the
risks and limitations are. Companion files beside it (``LICENSE``, ``USE_POLICY.md``,
``NOTICE``...) are examined with :func:`openlicense.identification.examine`.

Everything read here is a *fact* with its source (file, line, front-matter field); judging the
facts (flags, verdict) is the rule engine's job. How each fact is read is written up in
``docs/readers.md``.

Two layouts are understood: a repository folder (``README.md`` and its siblings) and the flat
layout of a corpus, where ``owner__repo.README.md`` sits beside ``owner__repo.LICENSE.txt``,
``owner__repo.USE_POLICY.md.txt`` and so on.

The reading is split by job: :mod:`.reader` (the entry points and the assembly of a release),
:mod:`.repo` (the files of a repository), :mod:`.card` (front matter), :mod:`.markdown` (the
body), :mod:`.licenses`, :mod:`.derivation` (base models) and :mod:`.cues` (claims, data, code,
documentation).
"""

from __future__ import annotations

from openlicense.release.hf.reader import read_hf_repo, read_model_card

__all__ = ["read_hf_repo", "read_model_card"]
