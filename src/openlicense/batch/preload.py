"""Imported by the scan's forkserver, and by nothing else: load the license catalog and the
exact-text index once, before the worker processes are forked from it.

Each worker is then born with them (their pages shared copy-on-write) instead of loading them
itself: with 16 workers that is one load instead of 16 at the start of a scan, when every worker
would otherwise compete for the CPUs before its first result. Importing does the work on
purpose, since all a forkserver can be asked to do beforehand is import modules. ScanCode's
index is not loaded here: most corpora need it for few texts or none, and it would cost every
scan its seconds and its gigabyte before the first result.
"""

from __future__ import annotations

import contextlib
import gc

from openlicense.batch.warm import warm

# Should loading fail, each worker loads what it needs itself and reports what fails there.
with contextlib.suppress(Exception):
    warm()
# What was loaded stays in the permanent generation: the workers' collections neither scan it
# nor write to (and so copy) the pages they share.
gc.freeze()
