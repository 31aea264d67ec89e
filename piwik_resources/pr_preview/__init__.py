"""Pull-request preview: run `pulumi preview --json` for a stack and render a Markdown comment.

`render(preview_json, stack=...)` is pure (parsed JSON in, Markdown out); `piwik-cnil pr-preview --stack NAME`
(piwik_resources/cli/pr_preview.py) runs the engine and prints it.
"""

from .delta import ComplianceDelta, compliance_delta
from .model import Preview, parse
from .render import MARKER, render

__all__ = ["MARKER", "ComplianceDelta", "Preview", "compliance_delta", "parse", "render"]
