"""`python -m piwik_resources.pr_preview ARGS` is `piwik-cnil pr-preview ARGS`."""

from piwik_resources.cli.pr_preview import pr_preview

pr_preview(prog_name="python -m piwik_resources.pr_preview")
