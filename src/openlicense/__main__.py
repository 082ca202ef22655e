"""``python -m openlicense``: the same as the ``openlicense`` command."""

import sys

from openlicense.cli import main

sys.exit(main())
