import Foundation

extension OpenAPIDocument {
    /// Every route, in the router's order, then the routes outside `/api/v1`.
    static var operations: [OpenAPIOperation] {
        typealias Op = OpenAPIOperation
        let cursor: (String, Schema.JSON, Bool, String) = ("cursor", ["type": "string", "pattern": "^[A-Za-z0-9+/=]{0,64}$"], false,
                                                           "Opaque cursor from the previous page's `next`.")
        let limit: (String, Schema.JSON, Bool, String) = ("limit", ["type": "integer", "minimum": 1, "maximum": 1000], false, "Page size.")
        return [
            // Projects.
            Op(method: "GET", path: "/api/v1/projects", summary: "The projects the caller has a role in, with that role (any role).",
               answer: "ProjectList"),
            Op(method: "GET", path: "/api/v1/projects/{key}/settings", summary: "A project's scoring and assignment settings (viewer).",
               answer: "ProjectSettings"),
            Op(method: "PUT", path: "/api/v1/projects/{key}/settings", summary: "Replace a project's settings (admin).",
               body: .json("ProjectSettings"), answer: "ProjectSettings"),
            Op(method: "PATCH", path: "/api/v1/projects/{key}/settings", summary: "Change some of a project's settings (admin).",
               body: .json("ProjectSettingsPatch"), answer: "ProjectSettings"),
            Op(method: "PUT", path: "/api/v1/projects/{key}/roles/{subject}", summary: "Give a principal a role in the project (admin).",
               body: .json("RoleBody"), answer: "RoleAssignment"),
            Op(method: "DELETE", path: "/api/v1/projects/{key}/roles/{subject}", summary: "Take a principal's role in the project away (admin).",
               status: 204),
            Op(method: "GET", path: "/api/v1/projects/{key}/roles",
               summary: "The roles stored for the project, then those for every project (`*`) (admin).", answer: "RoleList"),
            Op(method: "GET", path: "/api/v1/projects/{key}/decisions", summary: "The project's audit log of recommendations and assignments (viewer).",
               query: [cursor, limit], answer: "DecisionList"),
            // Tickets.
            Op(method: "GET", path: "/api/v1/tickets", summary: "List tickets, oldest key first (viewer of the project; `*` roles may omit it).",
               query: [("project", Schema.identifier, false, "Project key (required unless the caller has a `*` role)."),
                       ("status", ["type": "string", "pattern": "^((open|todo|in_progress|done)(,(open|todo|in_progress|done))*)?$"], false,
                        "Comma-separated: open (todo and in_progress), todo, in_progress, done."),
                       ("assignee", Schema.identifier, false, "Person id."),
                       ("updatedSince", Schema.dateTime, false, "Only tickets updated at or after this instant."), cursor, limit],
               answer: "TicketList"),
            Op(method: "POST", path: "/api/v1/tickets", summary: "Create a ticket (member of its project).",
               body: .json("TicketInput"), status: 201, answer: "Ticket", errors: [409]),
            Op(method: "GET", path: "/api/v1/tickets/{key}", summary: "One ticket (viewer).", answer: "Ticket"),
            Op(method: "PATCH", path: "/api/v1/tickets/{key}", summary: "Change a ticket; absent fields stay (member).",
               body: .json("TicketPatch"), answer: "Ticket"),
            Op(method: "GET", path: "/api/v1/tickets/{key}/decisions", summary: "The ticket's audit log (viewer).",
               query: [cursor, limit], answer: "DecisionList"),
            // Recommendations and assignment.
            Op(method: "GET", path: "/api/v1/tickets/{key}/recommendations",
               summary: "Preview the ranking of people for the ticket: records no decision and assigns nobody (viewer).",
               answer: "Recommendation"),
            Op(method: "POST", path: "/api/v1/tickets/{key}/recommendations",
               summary: "Rank people for the ticket with factors, reasons and confidence; assigns when the project auto-assigns and the ranking is confident (member).",
               answer: "Recommendation"),
            Op(method: "POST", path: "/api/v1/tickets/{key}/assignment",
               summary: "Assign the ticket; recorded as manual, or override when it departs from the recommendation; written to Jira first in a synced project (Jira's refusal answered as 400, 403, 404 or 409, 502 when Jira stays unavailable) (member).",
               body: .json("AssignmentBody"), answer: "Decision", errors: [409, 502]),
            // Metrics.
            Op(method: "GET", path: "/api/v1/metrics",
               summary: "Load against capacity, resolved per week, median resolution time, skill coverage and single-person skills (viewer).",
               query: [("project", Schema.identifier, true, "Project key."),
                       ("weeks", ["type": "integer", "minimum": 1, "maximum": 104], false, "Window in weeks (default 12).")],
               answer: "ProjectMetrics"),
            // Skills.
            Op(method: "GET", path: "/api/v1/skills/custom", summary: "The tenant's custom skills and aliases (any role).", answer: "CustomSkillList"),
            Op(method: "PUT", path: "/api/v1/skills/custom", summary: "Replace the tenant's custom skills (admin of `*`).",
               body: .json("CustomSkills"), answer: "CustomSkillList"),
            Op(method: "POST", path: "/api/v1/skills/detect", summary: "Detect the skills a ticket text needs (any role).",
               body: .json("DetectRequest"), answer: "DetectResponse"),
            // People.
            Op(method: "GET", path: "/api/v1/people", summary: "The tenant's people (any role).", query: [cursor, limit], answer: "PersonList"),
            Op(method: "GET", path: "/api/v1/people/{id}", summary: "One person (any role).", answer: "Person"),
            Op(method: "GET", path: "/api/v1/people/{id}/skills",
               summary: "The person's skill profile: declared skills merged with those learned from the tickets they resolved, by proficiency (any role).",
               answer: "PersonSkillList"),
            Op(method: "GET", path: "/api/v1/people/{id}/export",
               summary: "Everything SmartTicket holds about the person, as one document: profile, skills, tickets assigned, decisions naming them, admin changes by them or to their record (the person themselves, or an admin of `*`).",
               answer: "PersonExport"),
            Op(method: "PATCH", path: "/api/v1/people/{id}",
               summary: "Change capacity, working hours, time off, declared skills, opt-out; absent fields stay (the person for their own availability, skills and opt-out; an admin of a project the person works in, or a `*` admin, for everything).",
               body: .json("PersonPatch"), answer: "Person"),
            Op(method: "DELETE", path: "/api/v1/people/{id}",
               summary: "Erase the person (the right to erasure): their record, skill profile, time off and roles are deleted; their id and name are replaced by a stable pseudonym in tickets, decisions and audit records, so counts stay true; no later import or Jira sync brings them back (admin of `*`).",
               answer: "Erasure"),
            // Tenant.
            Op(method: "DELETE", path: "/api/v1/tenant", summary: "Uninstall: delete every byte of the tenant (admin of `*`).", answer: "PurgeReport"),
            Op(method: "POST", path: "/api/v1/import", summary: "Import ticket history as JSONL with a per-line error report (admin of every project in it).",
               body: .jsonl, answer: "ImportReport", errors: [413]),
            // Rebalance.
            Op(method: "POST", path: "/api/v1/projects/{key}/rebalance",
               summary: "Propose moves for the open backlog (people away, people over capacity), stored to be applied (admin).",
               status: 201, answer: "RebalancePlan"),
            Op(method: "GET", path: "/api/v1/projects/{key}/rebalance/{id}", summary: "A stored rebalance plan (viewer).", answer: "RebalancePlan"),
            Op(method: "POST", path: "/api/v1/projects/{key}/rebalance/{id}/apply",
               summary: "Apply a plan: reassign and record decisions, writing each move to Jira first in a synced project (moves Jira refuses are listed in `refused`, not stored); 409 when a ticket changed since it was planned (admin).",
               answer: "RebalancePlan", errors: [400, 409, 502]),
            Op(method: "POST", path: "/api/v1/projects/{key}/rebalance/{id}/undo",
               summary: "Undo an applied plan: tickets still assigned as it left them go back, through Jira in a synced project (refusals in `undo.refused`) (admin).",
               answer: "RebalancePlan", errors: [400, 409, 502]),
            // What-if.
            Op(method: "POST", path: "/api/v1/whatif",
               summary: "Replay the project's resolved tickets with other weights: top-1/3/5/10, MRR, Gini and skill fit per weight set (member).",
               body: .json("WhatIfRequest"), answer: "WhatIfResponse"),
            // Routing quality.
            Op(method: "GET", path: "/api/v1/projects/{key}/quality",
               summary: "Routing quality in production from the decision log: recommended, assigned, accepted first (top-3) suggestions, overrides, automatic assignments kept for 7 days, median time to assign, per ISO week (viewer).",
               query: [("weeks", ["type": "integer", "minimum": 1, "maximum": 52], false, "ISO weeks ending with the current one (default 12).")],
               answer: "QualityReport"),
            // Audit.
            Op(method: "GET", path: "/api/v1/audit",
               summary: "The audit trail, newest first: decisions (who assigned or recommended whom, how and why) and admin changes (settings, roles, custom skills, people: who, when, before and after) in one list. "
                + "Admin of `project`; without it, admin of every project (`*`), which also sees tenant-wide changes (custom skills, people). "
                + "Each page holds the newest items of both sources after the cursor's positions, merged by time; `next` carries where each source stopped, so paging never repeats or skips an item. "
                + "`kind=decision` or `kind=change` (or one kind of change) pages one source.",
               query: [("project", Schema.identifier, false, "Project key (required unless the caller is an admin of `*`)."),
                       ("kind", Schema.oneOf(AuditQuery.kinds), false,
                        "decision, change (every admin change), or one kind of change: settings, role, customSkills, person, token. Absent: decisions and changes."),
                       ("mode", ["type": "string", "pattern": "^(suggested|auto|manual|override|rebalance)(,(suggested|auto|manual|override|rebalance))*$"], false,
                        "Decisions of these modes only (comma-separated); leaves changes out."),
                       ("person", Schema.identifier, false,
                        "Decisions that chose the person or took the ticket from them, and changes of their record or their roles."),
                       ("since", Schema.dateTime, false, "Only items at or after this instant (ISO 8601; a date alone is its 00:00 UTC)."),
                       cursor, ("limit", ["type": "integer", "minimum": 1, "maximum": AuditQuery.maxLimit], false, "Page size (default 50).")],
               answer: "AuditList"),
            // Personal API tokens.
            Op(method: "POST", path: "/api/v1/tokens",
               summary: "Make a personal API token for the caller, with a name, a lifetime (at most `auth.maxTokenLifetimeSeconds`) and a scope: a role per project (or `*`) no higher than the caller's own there (403 naming the project otherwise). The token is in this answer only (any role).",
               body: .json("NewToken"), status: 201, answer: "NewTokenAnswer"),
            Op(method: "GET", path: "/api/v1/tokens",
               summary: "The caller's tokens, newest first, without the tokens themselves; an admin of `*` gets every token of the tenant, or one owner's with `owner` (any role).",
               query: [("owner", Schema.identifier, false, "Only this subject's tokens (an admin of `*`; others may name only themselves).")],
               answer: "TokenList"),
            Op(method: "DELETE", path: "/api/v1/tokens/{id}",
               summary: "Revoke a token: refused from the next request on, by every gateway of every pod; idempotent. Its owner, or an admin of `*`; 404 for an unknown id or someone else's token (any role).",
               status: 204),
            // Jira webhooks: authenticated by the HMAC-SHA256 signature of the body, not a token.
            Op(method: "POST", path: "/webhooks/jira",
               summary: "Jira webhook (issue created or updated) for tenant `tenant`, signed with that tenant's own webhook secret (from `smart-ticket jira connect`): `X-Hub-Signature: sha256=HEX` of the raw body.",
               query: [("tenant", ["type": "string", "minLength": 1], true, "The tenant whose webhook secret signs the delivery.")],
               headerParameters: [("X-Hub-Signature", ["type": "string", "pattern": "^sha256=[0-9a-fA-F]{64}$"], true,
                                   "HMAC-SHA256 of the body with the tenant's webhook secret.")],
               body: .json("JiraWebhook"), answer: "Accepted", authenticated: false, errors: [400, 401, 403, 404, 502, 503], otherSuccesses: [202, 204]),
            // The web panel: static files; its data comes from the API with the user's token.
            Op(method: "GET", path: "/", summary: "The web panel.", answer: "Page", answerType: "text/html", authenticated: false),
            Op(method: "GET", path: "/panel/{file}", summary: "A static file of the web panel.", answer: "Page",
               answerType: "text/html,text/css,text/javascript,application/javascript,image/svg+xml,image/png,text/plain",
               authenticated: false, errors: [404], otherSuccesses: [304]),
            // Outside the authenticated API.
            Op(method: "GET", path: "/api/v1/openapi.json", summary: "This document (no token needed).", answer: "OpenAPI",
               answerType: "application/json", authenticated: false),
            Op(method: "GET", path: "/livez", summary: "Liveness.", answer: "Status", authenticated: false),
            Op(method: "GET", path: "/readyz", summary: "Readiness: 503 while a backend is down or while draining.", answer: "Status",
               authenticated: false, otherAnswers: [503: "Status"]),
            Op(method: "GET", path: "/metrics", summary: "Prometheus text metrics.", answer: "Metrics", answerType: "text/plain",
               authenticated: false),
        ]
    }
}
