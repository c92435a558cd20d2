#!/usr/bin/env python3
"""Deterministic generator of large evidence files for ingest benchmarks.

Usage: bench/generate.py OUTPUT_DIR [--agent-lines N] [--token-requests N]
                         [--role-assignments N] [--tasks N] [--blob-logs N]
Writes, in OUTPUT_DIR:
  agent-debug.log          about 120 bytes a line: levels, TvmJoinPoolInProgress markers
  token-requests.jsonl     mitrail token-request records: 200 / 400 / 429 mix over 50 nodes
  role-assignments.json    an `az role assignment list` array
  tasks.json               an `az batch task list` array, 5% ResourceContainerAccessDenied
  storage-blob-logs.json   StorageBlobLogs diagnostic-settings lines, 403s from 100 principals
Fake IDs only; the same arguments always write the same bytes. A size of 0 skips the file.
"""
import argparse
import json
import os
import random
import time

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
            # 50 lines a second: 4.3M lines a day, so the date moves on (a 2 GB log spans days, and no line repeats).
            level, message = MESSAGES[rng.randrange(len(MESSAGES))]
            out.write(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + f",{ms:03d} [{level}] "
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


NODE = "tvmps_{:064x}"
SUB = "00000000-0000-0000-0000-0000000000f1"
IMDS = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/"
UAMI = "/subscriptions/" + SUB + "/resourceGroups/rg-bench/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-bench-{}"


def iso(base, offset_ms):
    seconds, ms = divmod(base * 1000 + offset_ms, 1000)
    hh, mm, ss = (seconds // 3600) % 24, (seconds // 60) % 60, seconds % 60
    return f"2026-03-04T{hh:02d}:{mm:02d}:{ss:02d}.{ms:03d}Z"


def token_requests(path, count, rng, failing_only=False):
    bodies = {
        200: {"access_token": "REDACTED-IN-BENCH", "client_id": "00000000-0000-0000-0000-0000000000b1",
              "expires_in": "86400", "resource": "https://storage.azure.com/", "token_type": "Bearer"},
        400: "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}",
        429: "{\"error\":\"invalid_request\",\"error_description\":\"Temporarily throttled, too many requests\"}",
    }
    base = 1772618400
    with open(path, "w") as out:
        for n in range(count):
            status = rng.choices([200, 400, 429], weights=[0, 60, 40] if failing_only else [90, 6, 4])[0]
            record = {"time": iso(base, n * 37), "node": NODE.format(n % 50), "pool": "pool-bench", "method": "GET",
                      "url": IMDS + "&mi_res_id=" + UAMI.format(n % 3), "requestHeaders": {"Metadata": "true"},
                      "status": status, "responseHeaders": {"Server": "IMDS/150.870.65.1253"},
                      "responseBody": bodies[status], "durationMs": 5 + n % 40}
            out.write(json.dumps(record) + "\n")


def tasks(path, count, rng):
    base = 1772618400
    with open(path, "w") as out:
        out.write("[\n")
        for n in range(count):
            failed = rng.random() < 0.05
            info = {"startTime": iso(base, n * 500), "endTime": iso(base, n * 500 + 900), "exitCode": None if failed else 0,
                    "result": "failure" if failed else "success", "retryCount": 0, "requeueCount": 0}
            if failed:
                info["failureInfo"] = {"category": "usererror", "code": "ResourceContainerAccessDenied",
                                       "message": "Access for one of the specified Azure Blob container(s) is denied", "details": []}
            task = {"id": f"task-{n:07d}", "url": f"https://batchbench.westeurope.batch.azure.com/jobs/job-bench/tasks/task-{n:07d}",
                    "state": "completed", "stateTransitionTime": iso(base, n * 500 + 900), "executionInfo": info,
                    "nodeInfo": {"nodeId": NODE.format(n % 50), "poolId": "pool-bench"},
                    "resourceFiles": [{"autoStorageContainerName": "input", "identityReference": None}]}
            out.write("  " + json.dumps(task) + (",\n" if n + 1 < count else "\n"))
        out.write("]\n")


def blob_logs(path, count, rng, failing_only=False):
    base = 1772618400
    account = "/subscriptions/" + SUB + "/resourceGroups/rg-bench/providers/Microsoft.Storage/storageAccounts/stbench{}"
    with open(path, "w") as out:
        for n in range(count):
            principal = f"00000000-0000-0000-0000-{n % 100:012x}"
            denied = failing_only or rng.random() < 0.3
            record = {"time": iso(base, n * 11), "resourceId": account.format(n % 20) + "/blobServices/default",
                      "category": "StorageRead", "operationName": "GetBlob", "statusCode": 403 if denied else 200,
                      "statusText": "AuthorizationPermissionMismatch" if denied else "Success", "durationMs": 3,
                      "callerIpAddress": "10.0.0.4:50432", "correlationId": f"00000000-801e-0000-0000-{n:012x}",
                      "identity": {"type": "OAuth", "requester": {"appId": principal.replace("0000-0000-0000-0000", "0000-0000-0000-0001"),
                                                                   "objectId": principal, "tenantId": "00000000-0000-0000-0000-0000000000e1"}},
                      "properties": {"accountName": f"stbench{n % 20}", "serviceType": "blob", "objectKey": f"/stbench{n % 20}/input/file-{n}"},
                      "uri": f"https://stbench{n % 20}.blob.core.windows.net:443/input/file-{n}"}
            out.write(json.dumps(record) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output")
    parser.add_argument("--agent-lines", type=int, default=1_000_000)
    parser.add_argument("--token-requests", type=int, default=1_000_000)
    parser.add_argument("--role-assignments", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--blob-logs", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--failures-only", action="store_true",
                        help="token requests and blob logs that all fail (for explain benchmarks)")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    rng = random.Random(args.seed)
    for name, count, write in [("agent-debug.log", args.agent_lines, agent_log),
                               ("token-requests.jsonl", args.token_requests, token_requests),
                               ("role-assignments.json", args.role_assignments, role_assignments),
                               ("tasks.json", args.tasks, tasks),
                               ("storage-blob-logs.json", args.blob_logs, blob_logs)]:
        if count > 0:
            rng = random.Random(f"{args.seed}-{name}")
            if write in (token_requests, blob_logs):
                write(os.path.join(args.output, name), count, rng, args.failures_only)
            else:
                write(os.path.join(args.output, name), count, rng)


if __name__ == "__main__":
    main()
