"""Drives a Jira site with the real Python `jira` client (PyPI): search, get, assign.

Usage: python3 drive_fake_jira.py BASE_URL EMAIL TOKEN
Prints one JSON object with what the client saw.
"""
import json
import sys

from jira import JIRA

base, email, token = sys.argv[1:4]
client = JIRA(server=base, basic_auth=(email, token), get_server_info=True, timeout=30, max_retries=1,
              options={"rest_api_version": "3", "check_update": False})
found = client.search_issues("project = ED", maxResults=0, fields="summary,assignee,status")
issue = client.issue("ED-1")
client.assign_issue("ED-2", "acc-bo")
after = client.issue("ED-2", fields="assignee")
print(json.dumps({
    "cloud": client._is_cloud,
    "keys": [i.key for i in found],
    "summary": issue.fields.summary,
    "status": issue.fields.status.statusCategory.key,
    "assignee": after.fields.assignee.accountId if after.fields.assignee else None,
}))
