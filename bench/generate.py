#!/usr/bin/env python3
"""Deterministic generator of large evidence files for ingest benchmarks.

Usage: bench/generate.py OUTPUT_DIR [--agent-lines N] [--role-assignments N]
Writes OUTPUT_DIR/agent-debug.log (about 120 bytes a line, a realistic mix of
levels and TvmJoinPoolInProgress markers) and OUTPUT_DIR/role-assignments.json
(an `az role assignment list` array). Fake IDs only; the same arguments always
write the same bytes.
"""
import argparse
import json
import os
import random

MESSAGES = [
    ("INFO", "nodeagent heartbeat ok, TVMName=tvmps_{node:064x} PoolName=pool-bench tasks=3"),
    ("INFO", "downloading resource file appdata/input-{n:06d}.bin to wd/input-{n:06d}.bin"),
    ("WARN", "pool not fully joined yet, health=Status.TvmJoinPoolInProgress"),
    ("DEBUG", "requesting token from IMDS for https://storage.azure.com/ status=200 elapsed=12ms"),
    ("ERROR", "autostorage access failed: AuthorizationPermissionMismatch (403) listing container appdata"),
]

ROLES = [
    ("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
    ("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
    ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
    ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
]


def agent_log(path, lines, rng):
    base = 1772618400  # 2026-03-04T10:00:00Z
    with open(path, "w") as out:
        for n in range(lines):
            seconds = base + n // 50
            ms = (n * 7) % 1000
            hh, mm, ss = (seconds // 3600) % 24, (seconds // 60) % 60, seconds % 60
            level, message = MESSAGES[rng.randrange(len(MESSAGES))]
            out.write(f"2026-03-04 {hh:02d}:{mm:02d}:{ss:02d},{ms:03d} [{level}] "
                      + message.format(node=n % 200, n=n) + "\n")


def role_assignments(path, count, rng):
    sub = "00000000-0000-0000-0000-0000000000f1"
    with open(path, "w") as out:
        out.write("[\n")
        for n in range(count):
            role, guid = ROLES[rng.randrange(len(ROLES))]
            scope = f"/subscriptions/{sub}/resourceGroups/rg-bench-{n % 50}/providers/Microsoft.Storage/storageAccounts/stbench{n % 500}"
            item = {
                "canDelegate": None, "condition": None, "conditionVersion": None, "description": None,
                "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{n:08x}-0000-0000-0000-000000000000",
                "name": f"{n:08x}-0000-0000-0000-000000000000",
                "principalId": f"00000000-0000-0000-0000-{n % 5000:012x}",
                "principalName": f"00000000-0000-0000-0001-{n % 5000:012x}",
                "principalType": "ServicePrincipal", "resourceGroup": f"rg-bench-{n % 50}",
                "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
                "roleDefinitionName": role, "scope": scope, "type": "Microsoft.Authorization/roleAssignments",
            }
            text = json.dumps(item, indent=2)
            out.write("  " + text.replace("\n", "\n  ") + (",\n" if n + 1 < count else "\n"))
        out.write("]\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output")
    parser.add_argument("--agent-lines", type=int, default=1_000_000)
    parser.add_argument("--role-assignments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    rng = random.Random(args.seed)
    agent_log(os.path.join(args.output, "agent-debug.log"), args.agent_lines, rng)
    role_assignments(os.path.join(args.output, "role-assignments.json"), args.role_assignments, rng)


if __name__ == "__main__":
    main()
