"""The main job: `pulumi up` (or destroy) of one stack, with the emulator started for the local stack.

Run by `make up` / `make down`. For the `local` stack it starts the Piwik PRO emulator on 127.0.0.1 with its
state in .state/ (so repeated runs see the same account), keeps the Pulumi state in a file backend under
.state/pulumi, runs the real CLI with its normal output, prints the compliance report, and stops the emulator.
Other stacks use the backend you are logged in to (or PULUMI_BACKEND_URL) and the account in their config.

`make down` deletes the local stack's apps: stacks/Pulumi.local.yaml turns `deletion_protection` off for its sites,
and since a destroy judges the state (the program does not run), a local state that still protects an app (one
written before that setting) first gets an `up` that records it. Real stacks keep their apps protected: their
destroy fails before anything is deleted, naming the site and how to allow it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
STATE = REPO / ".state"


def pulumi_bin() -> Path:
    out = subprocess.run([str(REPO / "tools" / "pulumi-toolchain")], check=True, capture_output=True, text=True).stdout
    return Path(out.strip().splitlines()[-1]) / "pulumi"


def start_emulator(port: int) -> subprocess.Popen[str]:
    STATE.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "piwik_emulator", "--port", str(port), "--state", str(STATE / "emulator.sqlite")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=open(STATE / "emulator.log", "a"),  # noqa: SIM115 - the child owns it for its lifetime
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise SystemExit(f"the emulator did not start (see {STATE / 'emulator.log'}): {line!r}")
    print(f"==> {line.strip()} (state: {STATE / 'emulator.sqlite'})", flush=True)
    return proc


def main() -> int:
    action = sys.argv[1] if len(sys.argv) > 1 else "up"
    stack = os.environ.get("STACK", "local")
    pulumi = pulumi_bin()
    env = dict(os.environ)
    env["PATH"] = f"{pulumi.parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PULUMI_SKIP_UPDATE_CHECK", "true")
    emulator = None
    if stack == "local":
        (STATE / "pulumi").mkdir(parents=True, exist_ok=True)
        env.setdefault("PULUMI_BACKEND_URL", (STATE / "pulumi").as_uri())
        env.setdefault("PULUMI_CONFIG_PASSPHRASE", "local-emulator")
        emulator = start_emulator(int(os.environ.get("PIWIK_EMULATOR_PORT", "8089")))

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(pulumi), *args], cwd=REPO, env=env, check=check, text=True)

    try:
        exists = subprocess.run(
            [str(pulumi), "stack", "select", stack], cwd=REPO, env=env, capture_output=True, text=True
        )
        if exists.returncode != 0:
            run("stack", "init", stack, "--non-interactive")
        version = subprocess.run([str(pulumi), "version"], capture_output=True, text=True).stdout.strip()
        print(f"==> pulumi {action} --stack {stack}  ({version})", flush=True)
        if action == "up":
            run("up", "--yes", "--non-interactive", "--stack", stack)
            outputs = subprocess.run(
                [str(pulumi), "stack", "output", "--json", "--stack", stack],
                cwd=REPO,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            print_report(json.loads(outputs))
        elif action == "destroy":
            if stack == "local" and protected_sites(pulumi, env, stack):
                print("==> the state still protects apps that the local config does not: pulumi up to record it")
                run("up", "--yes", "--non-interactive", "--stack", stack)
            run("destroy", "--yes", "--non-interactive", "--stack", stack)
        else:
            run(action, "--stack", stack)
        return 0
    except subprocess.CalledProcessError as err:
        return err.returncode or 1
    finally:
        if emulator is not None:
            emulator.terminate()
            emulator.wait(timeout=10)


def protected_sites(pulumi: Path, env: dict[str, str], stack: str) -> list[str]:
    """URNs of the created (not adopted) Sites whose state keeps deletion_protection on (see providers/site.py)."""
    from piwik_resources.providers.site import is_protected

    out = subprocess.run(
        [str(pulumi), "stack", "export", "--stack", stack], cwd=REPO, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        return []
    resources = (json.loads(out.stdout).get("deployment") or {}).get("resources") or []
    return [
        str(r["urn"])
        for r in resources
        if str(r.get("type", "")).endswith("/piwik:Site")
        and not (r.get("outputs") or {}).get("adopt_id")
        and is_protected(r.get("outputs") or {})
    ]


def print_report(outputs: dict[str, Any]) -> None:
    """Print each site's compliance report, rendered from the rows the stack exports under `sites`."""
    from piwik_resources.compliance import OPEN_QUESTIONS, render_markdown

    for key, site in (outputs.get("sites") or {}).items():
        rows = site.get("compliance_report") or []
        account = site.get("account_report")
        print("\n" + render_markdown(f"CNIL exemption — {key}", rows, OPEN_QUESTIONS, account=account))


if __name__ == "__main__":
    raise SystemExit(main())
