#!/usr/bin/env python3
"""Deterministic generator of a large incident for timing `mitrail explain` (not run by any test).

Usage: Tests/bench/generate_explain_store.py OUTPUT_DIR [--tasks N] [--blob-logs N] [--token-requests N] [--assignments N]
Writes OUTPUT_DIR/config/ (Batch account, pool, identity), OUTPUT_DIR/evidence/ (az batch task list, StorageBlobLogs,
token-request captures, Activity Log) and OUTPUT_DIR/roles/role-assignments.json. Fake IDs only.

    python3 Tests/bench/generate_explain_store.py /tmp/explain-bench
    mitrail ingest /tmp/explain-bench/config --observed-at 2026-03-04T08:00:00Z --db /tmp/explain-bench.db
    mitrail ingest /tmp/explain-bench/evidence --observed-at 2026-03-04T20:00:00Z --db /tmp/explain-bench.db
    mitrail ingest /tmp/explain-bench/roles --observed-at 2026-03-04T20:00:00Z --db /tmp/explain-bench.db
    /usr/bin/time -v .build/release/mitrail explain --format json --db /tmp/explain-bench.db > /dev/null
"""
import argparse
import json
import os
import random

SUB = "00000000-0000-0000-0000-0000000000f1"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-bench"
ACCOUNT_ID = f"{RG}/providers/Microsoft.Batch/batchAccounts/batchbench"
STORAGE_ID = f"{RG}/providers/Microsoft.Storage/storageAccounts/stbench"
UAMI = f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-bench"
PRINCIPAL, CLIENT = "00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000b1"
ROLES = [("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"), ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
         ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"), ("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe")]


def when(second):
    """2026-03-04, `second` seconds after 09:00."""
    second = 9 * 3600 + second
    return f"2026-03-04T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        out.write(content if isinstance(content, str) else json.dumps(content, indent=1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--blob-logs", type=int, default=2000)
    parser.add_argument("--token-requests", type=int, default=1000)
    parser.add_argument("--assignments", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(5)
    out = args.output

    write(f"{out}/config/account.json", {
        "id": ACCOUNT_ID, "name": "batchbench", "type": "Microsoft.Batch/batchAccounts", "location": "westeurope",
        "properties": {"autoStorage": {"storageAccountId": STORAGE_ID, "authenticationMode": "BatchAccountManagedIdentity",
                                       "nodeIdentityReference": {"resourceId": UAMI}}, "poolAllocationMode": "BatchService"},
        "identity": {"type": "UserAssigned", "userAssignedIdentities": {UAMI: {"principalId": PRINCIPAL, "clientId": CLIENT}}}})
    write(f"{out}/config/pool.json", {
        "id": f"{ACCOUNT_ID}/pools/pool-bench", "name": "pool-bench", "type": "Microsoft.Batch/batchAccounts/pools",
        "identity": {"type": "UserAssigned", "userAssignedIdentities": {UAMI: {"principalId": PRINCIPAL, "clientId": CLIENT}}},
        "properties": {"vmSize": "STANDARD_D2S_V3", "allocationState": "Steady", "provisioningState": "Succeeded"}})
    write(f"{out}/config/identity.json", {"clientId": CLIENT, "id": UAMI, "name": "uami-bench", "principalId": PRINCIPAL,
                                         "tenantId": "00000000-0000-0000-0000-0000000000e1", "type": "Microsoft.ManagedIdentity/userAssignedIdentities"})

    tasks = []
    for n in range(args.tasks):
        node = f"tvmps_{n % 200:064x}_d"
        start = when(n * 7)
        tasks.append({"id": f"task-{n:05d}", "url": f"https://batchbench.westeurope.batch.azure.com/jobs/job-bench/tasks/task-{n:05d}",
                      "state": "completed", "stateTransitionTime": start + ".500000+00:00", "commandLine": "/bin/sh -c run",
                      "nodeInfo": {"nodeId": node, "poolId": "pool-bench"},
                      "resourceFiles": [{"autoStorageContainerName": f"input{n % 20}", "identityReference": None}],
                      "executionInfo": {"startTime": start + ".000000+00:00", "endTime": start + ".500000+00:00", "result": "failure",
                                        "retryCount": 0, "requeueCount": 0,
                                        "failureInfo": {"category": "usererror", "code": "ResourceContainerAccessDenied",
                                                        "message": "Access for one of the specified Azure Blob container(s) is denied"}}})
    write(f"{out}/evidence/task-list.json", tasks)

    lines = []
    for n in range(args.blob_logs):
        lines.append(json.dumps({
            "time": when(n * 11) + ".1230000Z", "resourceId": f"{STORAGE_ID}/blobServices/default", "category": "StorageRead",
            "operationName": "GetBlob", "statusCode": 403, "statusText": "AuthorizationPermissionMismatch", "durationMs": 3,
            "callerIpAddress": f"10.0.{n % 200 // 250}.{n % 250}:50000", "correlationId": f"00000000-801e-0000-0000-{n:012x}",
            "identity": {"type": "OAuth", "requester": {"appId": CLIENT, "objectId": PRINCIPAL, "audience": "https://storage.azure.com/"}},
            "properties": {"accountName": "stbench", "serviceType": "blob", "objectKey": f"/stbench/input{n % 20}/blob-{n}"},
            "uri": f"https://stbench.blob.core.windows.net:443/input{n % 20}/blob-{n}"}))
    write(f"{out}/evidence/StorageBlobLogs.json", "\n".join(lines) + "\n")

    requests = []
    for n in range(args.token_requests):
        status = [429, 500, 200, 200][n % 4]
        body = {429: {"error": "invalid_request", "error_description": "Temporarily throttled, too many requests"},
                500: {"error": "unknown", "error_description": "Failed to retrieve token"}}.get(status, {"error": "invalid_request", "error_description": "Identity not found"})
        requests.append(json.dumps({"time": when(n * 13) + ".000Z", "node": f"tvmps_{n % 200:064x}_d", "pool": "pool-bench", "method": "GET",
                                    "url": f"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/&client_id={CLIENT}",
                                    "requestHeaders": {"Metadata": "true"}, "status": status if status != 200 else 400,
                                    "responseBody": json.dumps(body), "durationMs": 5}))
    write(f"{out}/evidence/token-requests.jsonl", "\n".join(requests) + "\n")

    events = []
    for n in range(200):
        scope = f"{RG}/providers/Microsoft.Storage/storageAccounts/stbench{n}"
        events.append({"caller": "bench-admin@example.com", "eventTimestamp": when(n * 60) + ".000Z", "correlationId": f"00000000-0000-0000-0000-{n:012x}",
                       "eventDataId": f"00000000-0000-0000-0001-{n:012x}", "status": {"value": "Succeeded"}, "eventName": {"value": "EndRequest"},
                       "operationName": {"value": "Microsoft.Authorization/roleAssignments/write"},
                       "authorization": {"action": "Microsoft.Authorization/roleAssignments/write",
                                         "scope": f"{scope}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0002-{n:012x}"},
                       "resourceId": f"{scope}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0002-{n:012x}",
                       "properties": {"statusCode": "Created", "responseBody": json.dumps({"properties": {
                           "roleDefinitionId": f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{ROLES[0][1]}",
                           "principalId": f"00000000-0000-0000-0003-{n:012x}", "principalType": "ServicePrincipal", "scope": scope}})}})
    write(f"{out}/evidence/activity-log.json", events)

    assignments = []
    for n in range(args.assignments):
        role, guid = ROLES[rng.randrange(len(ROLES))]
        scope = f"{RG}/providers/Microsoft.Storage/storageAccounts/stbench{n % 500}" if n % 10 else RG
        principal = PRINCIPAL if n == 3 else f"00000000-0000-0000-0004-{n % 3000:012x}"
        role, guid = (ROLES[2] if n == 3 else (role, guid))
        assignments.append({"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{n:08x}-0000-0000-0000-000000000000",
                            "name": f"{n:08x}-0000-0000-0000-000000000000", "principalId": principal, "principalName": principal,
                            "principalType": "ServicePrincipal", "createdOn": "2026-02-01T08:00:00.0000000Z",
                            "roleDefinitionId": f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
                            "roleDefinitionName": role, "scope": scope, "type": "Microsoft.Authorization/roleAssignments", "condition": None})
    write(f"{out}/roles/role-assignments.json", assignments)


if __name__ == "__main__":
    main()
