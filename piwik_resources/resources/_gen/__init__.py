"""GENERATED typed Args/Outputs of the resources (python -m tools.gen_resources); do not edit."""
