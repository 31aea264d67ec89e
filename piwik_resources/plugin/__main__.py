"""``python -m piwik_resources.plugin ENGINE_ADDRESS``: the provider plugin, as ``pulumi-resource-piwik`` runs it."""

from piwik_resources.plugin import main

main()
