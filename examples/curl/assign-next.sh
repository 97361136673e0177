#!/usr/bin/env bash
# A SmartTicket API client with curl and jq: recommend and assign the next open unassigned ticket.
#
# Usage: SMART_TICKET_URL=http://127.0.0.1:8080/ SMART_TICKET_TOKEN=... assign-next.sh PROJECT
# The token comes from `smart-ticket token create`; it is never printed. Prints one JSON summary.
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" || $# -ne 1 ]]; then
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    [[ $# -eq 1 ]] && exit 0 || exit 64
fi
project=$1
url=${SMART_TICKET_URL:-http://127.0.0.1:8080/}
url=${url%/}
: "${SMART_TICKET_TOKEN:?set SMART_TICKET_TOKEN (smart-ticket token create ...)}"

# api METHOD PATH [JSON]: prints the body; fails with the API's error message on 4xx/5xx.
api() {
    local method=$1 path=$2 body=${3:-} out status
    out=$(mktemp)
    args=(-sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $SMART_TICKET_TOKEN" -H 'Accept: application/json')
    [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    status=$(curl "${args[@]}" "$url$path")
    if [[ "$status" -ge 400 ]]; then
        echo "error: $method $path: $status $(jq -r '.error.code + ": " + .error.message' "$out" 2>/dev/null)" >&2
        rm -f "$out"
        return 1
    fi
    cat "$out"
    rm -f "$out"
}

api GET /api/v1/projects | jq -e --arg p "$project" 'any(.items[]; .key == $p)' >/dev/null \
    || { echo "error: no role in project $project" >&2; exit 1; }
ticket=$(api GET "/api/v1/tickets?project=$(jq -rn --arg p "$project" '$p|@uri')&status=todo&limit=100" \
    | jq -r '[.items[] | select(.assignee == null)][0].key // empty')
if [[ -z "$ticket" ]]; then
    jq -n --arg p "$project" '{project: $p, ticket: null, note: "no open unassigned ticket"}'
    exit 0
fi
recommendation=$(api POST "/api/v1/tickets/$ticket/recommendations")
best=$(jq -r '.candidates[0].person.id // empty' <<<"$recommendation")
if [[ -z "$best" ]]; then
    jq --arg p "$project" '{project: $p, ticket: .ticket, assignee: null, note: .note}' <<<"$recommendation"
    exit 0
fi
decision=$(api POST "/api/v1/tickets/$ticket/assignment" "$(jq -n --arg a "$best" '{assignee: $a, reason: "accepted the recommendation (curl client)"}')")
jq -n --arg p "$project" --argjson r "$recommendation" --argjson d "$decision" \
    '{project: $p, ticket: $r.ticket, assignee: $d.chosen.id, name: $r.candidates[0].person.name, score: $r.candidates[0].score,
      confidence: $r.confidence, mode: $d.mode, reasons: $r.candidates[0].reasons}'
