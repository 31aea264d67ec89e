"""Pull-request preview: run `pulumi preview --json` for a stack and render a Markdown comment.

`render(preview_json, stack=...)` is pure (parsed JSON in, Markdown out); `python -m tools.pr_preview --stack NAME`
runs the engine and prints it.
"""

from .delta import ComplianceDelta, compliance_delta
from .model import Preview, parse
from .render import MARKER, render

__all__ = ["MARKER", "ComplianceDelta", "Preview", "compliance_delta", "parse", "render"]
