"""The Pulumi program: reads the stack config and declares the CNIL-exempt sites (filled in with CnilExemptSite)."""

import pulumi

pulumi.export("stack", pulumi.get_stack())
