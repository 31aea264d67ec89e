"""`python -m bench [--sites 1,10,50,100] [--latency-ms 20] [--skip-rate-floor] [--json out.json]`."""

import sys

from bench.run import main

sys.exit(main())
