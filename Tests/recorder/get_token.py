#!/usr/bin/env python3
"""Asks Azure Identity's ManagedIdentityCredential for a token, as a task on a node would, and prints
what it got as one JSON line: {"token": ...} or {"error": CLASS, "message": ...}.

Usage: get_token.py SCOPE [CLIENT_ID]. The endpoint comes from AZURE_POD_IDENTITY_AUTHORITY_HOST (the
recorder's --exec sets it), else IMDS itself.
"""
import json
import sys

from azure.identity import ManagedIdentityCredential


def main():
    scope = sys.argv[1]
    client_id = sys.argv[2] if len(sys.argv) > 2 else None
    credential = ManagedIdentityCredential(client_id=client_id) if client_id else ManagedIdentityCredential()
    try:
        token = credential.get_token(scope)
        print(json.dumps({"token": token.token, "expires_on": token.expires_on}))
    except Exception as error:  # the class and message are what the test compares
        print(json.dumps({"error": type(error).__name__, "message": str(error)}))


if __name__ == "__main__":
    main()
