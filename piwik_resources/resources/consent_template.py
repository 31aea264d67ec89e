"""ConsentTemplate: the texts of an app's consent form in one language (API mode or manual mode).

Its Args and Outputs are generated from the declarations in piwik_resources/providers/consent_template.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.consent_template import ConsentTemplateProvider

from ._base import DynamicResource, props_of
from ._gen.consent_template import ConsentTemplateArgs, ConsentTemplateOutputs


class ConsentTemplate(ConsentTemplateOutputs, DynamicResource, module="piwik", name="ConsentTemplate"):
    """Type token ``pulumi-python:dynamic/piwik:ConsentTemplate``; id = ``<site_id>/<language>``."""

    def __init__(
        self, resource_name: str, args: ConsentTemplateArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(ConsentTemplateProvider(), resource_name, props_of(args, self.OUTPUT_ONLY), opts)


__all__ = ["ConsentTemplate", "ConsentTemplateArgs"]
