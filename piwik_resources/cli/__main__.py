"""`python -m piwik_resources.cli` is the `piwik-cnil` console script."""

from piwik_resources.cli import main

main(prog_name="piwik-cnil")
