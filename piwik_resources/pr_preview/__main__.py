"""`python -m tools.pr_preview --stack NAME [--cwd DIR] [--out FILE]`."""

import sys

from .cli import main

sys.exit(main())
