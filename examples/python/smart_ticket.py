#!/usr/bin/env python3
"""A SmartTicket API client using only Python's standard library (urllib).

Usage:
    python3 smart_ticket.py --url http://127.0.0.1:8080/ --token "$TOKEN" assign-next --project ZK
    python3 smart_ticket.py --url ... --token ... projects

`assign-next` takes the oldest open unassigned ticket of the project, asks for recommendations and
assigns the best candidate, printing one JSON summary. The token comes from `smart-ticket token create`
(or --token / SMART_TICKET_TOKEN); it is never printed.
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class APIError(Exception):
    """An error answer: HTTP status, code and message from {"error": {"code", "message"}}."""

    def __init__(self, status, code, message):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class SmartTicket:
    def __init__(self, url, token, timeout=30):
        self.base = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, method, path, body=None, query=None):
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            try:
                detail = json.loads(error.read())["error"]
            except (ValueError, KeyError, TypeError):
                detail = {"code": "HTTP_ERROR", "message": error.reason}
            raise APIError(error.code, detail.get("code"), detail.get("message")) from None

    def projects(self):
        return self.call("GET", "/api/v1/projects")["items"]

    def tickets(self, project, status="todo", limit=100):
        return self.call("GET", "/api/v1/tickets", query={"project": project, "status": status, "limit": limit})["items"]

    def recommend(self, key):
        return self.call("POST", f"/api/v1/tickets/{urllib.parse.quote(key, safe='')}/recommendations")

    def assign(self, key, assignee, reason=None):
        body = {"assignee": assignee}
        if reason:
            body["reason"] = reason
        return self.call("POST", f"/api/v1/tickets/{urllib.parse.quote(key, safe='')}/assignment", body)


def assign_next(client, project):
    if project not in [p["key"] for p in client.projects()]:
        raise APIError(404, "NOT_FOUND", f"no role in project {project}")
    ticket = next((t for t in client.tickets(project) if not t.get("assignee")), None)
    if ticket is None:
        return {"project": project, "ticket": None, "note": "no open unassigned ticket"}
    recommendation = client.recommend(ticket["key"])
    candidates = recommendation["candidates"]
    if recommendation.get("assigned"):
        return {"project": project, "ticket": ticket["key"], "assignee": recommendation["assigned"]["id"], "mode": "auto"}
    if not candidates:
        return {"project": project, "ticket": ticket["key"], "assignee": None, "note": recommendation["note"]}
    best = candidates[0]
    decision = client.assign(ticket["key"], best["person"]["id"], reason="accepted the recommendation (python client)")
    return {"project": project, "ticket": ticket["key"], "assignee": decision["chosen"]["id"], "name": best["person"]["name"],
            "score": best["score"], "confidence": recommendation["confidence"], "mode": decision["mode"],
            "reasons": best["reasons"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("SMART_TICKET_URL", "http://127.0.0.1:8080/"), help="gateway URL")
    parser.add_argument("--token", default=os.environ.get("SMART_TICKET_TOKEN"), help="bearer token (or SMART_TICKET_TOKEN)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("projects", help="list the projects you have a role in")
    assign = commands.add_parser("assign-next", help="recommend and assign the next open unassigned ticket")
    assign.add_argument("--project", required=True)
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("a token is required (--token or SMART_TICKET_TOKEN)")
    client = SmartTicket(args.url, args.token)
    try:
        result = client.projects() if args.command == "projects" else assign_next(client, args.project)
    except APIError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        print(f"error: cannot reach {args.url}: {error.reason}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
