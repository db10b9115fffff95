"""`python -m ccdir.cli …`, as `ccdir …`."""

import sys

from ccdir.cli import main

sys.exit(main())
