import Contracts
import Foundation

extension OpenAPIDocument {
    /// `components.schemas`: every request and response body of the API.
    static var schemas: Schema.JSON {
        typealias S = Schema
        let factor = S.object(["value": S.number, "weight": S.number, "contribution": S.number], required: ["value", "weight", "contribution"])
        let skillNames = ["skillFit", "similarWork", "workload", "availability", "fairness", "recentActivity"]
        let weight: Schema.JSON = ["type": "number", "minimum": 0, "maximum": 10]
        let projectKey: Schema.JSON = ["type": "string", "pattern": "^[A-Za-z0-9_.]{1,64}$"]
        let required = S.described(S.array(S.ref("RequiredSkill")).merging(["maxItems": 20]) { $1 },
                                   "Skills needed at a minimum declared level: people below it are never assigned automatically.")
        let settingsFields: Schema.JSON = [
            "weights": S.described(S.object(Dictionary(uniqueKeysWithValues: skillNames.map { ($0, weight) })),
                                   "Factor name to weight; absent factors use the default weight."),
            "autoAssign": S.boolean, "confidenceThreshold": S.unit, "staleDays": ["type": "integer", "minimum": 1, "maximum": 3650],
            "candidatePool": S.oneOf(["recent", "assignable", "all"]),
            "defaultAssignee": S.nullable(S.described(S.identifier, "A person id of the tenant: assigned when nobody fits.")),
            "requiredSkills": S.nullable(required),
            "explainInJira": S.nullable(S.described(S.boolean, "Comment the reasons on the Jira issue when SmartTicket assigns it (default off).")),
        ]
        let title: Schema.JSON = S.described(S.text.merging(["maxLength": 4000]) { $1 }, "At most 4000 bytes.")
        let words = S.array(S.identifier).merging(["maxItems": 200]) { $1 }
        let priority: Schema.JSON = S.identifier.merging(["maxLength": 64]) { $1 }
        let clock: Schema.JSON = ["type": "string", "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9]$"]
        let day: Schema.JSON = ["type": "string", "pattern": "^(19[7-9][0-9]|20[0-9][0-9]|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"]
        let qualityFields = ["recommended", "assigned", "acceptedTop1", "acceptedTop3", "overrides", "autoAssigned", "autoAssignedKept",
                             "medianTimeToAssignHours"]
        let qualityCounts: Schema.JSON = [
            "recommended": S.described(S.integer, "Suggested decisions (rankings recorded without assigning)."),
            "assigned": S.described(S.integer, "Assignments: manual, override and auto decisions."),
            "acceptedTop1": S.described(S.integer, "Assignments to the first person of the ticket's latest suggestion before them."),
            "acceptedTop3": S.described(S.integer, "Assignments to one of its first three people."),
            "overrides": S.integer, "autoAssigned": S.integer,
            "autoAssignedKept": S.described(S.integer, "Automatic assignments nobody gave to someone else within 7 days."),
            "medianTimeToAssignHours": S.described(S.nullable(S.number),
                                                   "Median time from the ticket's first suggestion to its assignment; null without one."),
        ]
        return [
            "Error": S.object(["error": S.object(["code": S.described(S.string, "Machine-readable, e.g. INVALID_ARGUMENT, NOT_FOUND."),
                                                  "message": S.string], required: ["code", "message"])], required: ["error"]),
            "Project": S.object(["key": S.string, "name": S.string, "role": S.oneOf(["viewer", "member", "admin"])],
                                required: ["key", "name", "role"]),
            "ProjectList": S.list("Project"),
            "ProjectSettings": S.object(settingsFields, required: ["weights", "autoAssign", "confidenceThreshold", "staleDays", "candidatePool"]),
            "ProjectSettingsPatch": S.described(S.object(settingsFields),
                                                "Only the fields to change (JSON Merge Patch): weights merge factor by factor, null removes an optional field."),
            "RequiredSkill": S.object(["skill": S.string, "minLevel": ["type": "integer", "minimum": 1, "maximum": 5]],
                                      required: ["skill", "minLevel"]),
            "RoleBody": S.object(["role": S.oneOf(["viewer", "member", "admin"])], required: ["role"], additional: true),
            "RoleAssignment": S.object(["principal": S.string, "project": S.string, "role": S.oneOf(["viewer", "member", "admin"])],
                                       required: ["principal", "project", "role"]),
            "Ticket": S.object([
                "key": S.string, "project": S.string, "title": S.string, "description": S.string, "components": S.array(S.string),
                "labels": S.array(S.string), "priority": S.string, "storyPoints": S.number, "status": S.ref("TicketStatus"),
                "assignee": S.string, "created": S.dateTime, "updated": S.dateTime, "resolved": S.dateTime, "requiredSkills": required,
            ], required: ["key", "project", "title", "description", "components", "labels", "status", "created", "updated"]),
            "TicketStatus": S.oneOf(["todo", "in_progress", "done"]),
            "TicketList": S.list("Ticket"),
            "TicketInput": S.object([
                "key": S.identifier, "project": projectKey, "title": title,
                "description": S.text, "components": words, "labels": words, "priority": priority,
                "storyPoints": S.number, "status": S.ref("TicketStatus"), "assignee": S.identifier,
                "created": S.described(S.dateTime, "Between 1970 and 2100."), "requiredSkills": required,
            ], required: ["key", "project", "title"], additional: true),
            "TicketPatch": S.described(S.object([
                "title": S.nullable(title), "description": S.nullable(S.text), "components": S.nullable(words), "labels": S.nullable(words),
                "priority": S.nullable(priority), "storyPoints": S.nullable(S.number), "status": S.nullable(S.ref("TicketStatus")),
                "requiredSkills": S.nullable(required),
                "explainInJira": S.nullable(S.described(S.boolean, "Comment the reasons on the Jira issue when SmartTicket assigns it (default off).")),
            ], additional: true), "Absent or null fields stay as they are; an empty `requiredSkills` clears them."),
            "Factor": factor,
            "RankedCandidate": S.object(["person": S.string, "score": S.number, "factors": S.map(S.ref("Factor")), "reasons": S.array(S.string)],
                                        required: ["person", "score", "factors", "reasons"]),
            "Decision": S.object([
                "id": S.integer, "ticket": S.string, "project": S.string,
                "mode": S.oneOf(["suggested", "auto", "manual", "override", "rebalance"]), "chosen": S.string, "previous": S.string,
                "candidates": S.array(S.ref("RankedCandidate")), "actor": S.string, "at": S.dateTime, "reason": S.string,
            ], required: ["id", "ticket", "project", "mode", "candidates", "actor", "at"]),
            "DecisionList": S.list("Decision"),
            "Recommendation": S.object([
                "ticket": S.string, "confidence": S.unit, "action": S.oneOf(["assign", "suggest", "fallback", "unassigned"]),
                "note": S.string, "assigned": S.described(S.string, "Who was assigned automatically, when the system assigned."),
                "preview": S.described(S.boolean, "True for a preview (GET): nothing was recorded or assigned."),
                "skills": S.array(S.ref("DetectedSkill")),
                "candidates": S.array(S.object([
                    "person": S.object(["id": S.string, "name": S.string], required: ["id", "name"]), "score": S.number,
                    "factors": S.map(S.ref("Factor")), "reasons": S.array(S.string),
                ], required: ["person", "score", "factors", "reasons"])),
            ], required: ["ticket", "confidence", "action", "note", "skills", "candidates"]),
            "AssignmentBody": S.object(["assignee": S.described(S.identifier, "A person id of the tenant."),
                                        "reason": S.nullable(S.text.merging(["maxLength": 2000]) { $1 })], required: ["assignee"], additional: true),
            "Person": S.object([
                "id": S.string, "displayName": S.string, "timeZone": S.string, "weeklyCapacity": S.number, "capacityUnit": S.string,
                "workingHours": S.ref("WorkingHours"), "timeOff": S.array(S.ref("TimeOff")), "declaredSkills": S.array(S.ref("DeclaredSkill")),
                "active": S.boolean, "optedOut": S.boolean, "assignable": S.boolean,
            ], required: ["id", "displayName", "capacityUnit", "timeOff", "declaredSkills", "active", "optedOut", "assignable"]),
            "PersonList": S.list("Person"),
            "PersonSkill": S.object([
                "skill": S.string,
                "level": S.described(["type": "integer", "minimum": 1, "maximum": 5], "The declared level, or else the learned proficiency mapped to 1...5."),
                "proficiency": S.described(S.unit, "The larger of declared/5 and learned."),
                "declared": S.nullable(["type": "integer", "minimum": 1, "maximum": 5]),
                "learned": S.described(S.unit, "(1 − 2^(−e/3)) / (1 + 0.5·o): e the resolved tickets that needed the skill, decayed (half-life 365 days), o the overrides away, decayed (180 days)."),
                "evidence": S.described(S.integer, "Resolved tickets that needed the skill."),
                "lastUsed": S.nullable(S.dateTime),
            ], required: ["skill", "level", "proficiency", "declared", "learned", "evidence", "lastUsed"]),
            "PersonSkillList": S.list("PersonSkill"),
            "WorkingHours": S.object(["start": clock, "end": clock, "days": S.array(["type": "integer", "minimum": 1, "maximum": 7])],
                                     required: ["start", "end", "days"]),
            "TimeOff": S.described(S.object(["start": day, "end": day, "reason": S.nullable(S.text.merging(["maxLength": 500]) { $1 })],
                                            required: ["start", "end"]), "From start to end inclusive; end must not be before start."),
            "DeclaredSkill": S.object(["skill": S.identifier.merging(["maxLength": 100]) { $1 }, "level": ["type": "integer", "minimum": 1, "maximum": 5]], required: ["skill", "level"]),
            "PersonPatch": S.described(S.object([
                "displayName": S.nullable(S.text.merging(["maxLength": 255]) { $1 }),
                "timeZone": S.nullable(S.oneOf(TimeZone.knownTimeZoneIdentifiers.sorted())),
                "weeklyCapacity": S.nullable(["type": "number", "minimum": 0, "maximum": 1000]),
                "capacityUnit": S.nullable(S.oneOf(["points", "hours"])), "workingHours": S.nullable(S.ref("WorkingHours")),
                "timeOff": S.nullable(S.array(S.ref("TimeOff")).merging(["maxItems": 500]) { $1 }),
                "declaredSkills": S.nullable(S.array(S.ref("DeclaredSkill")).merging(["maxItems": 200]) { $1 }),
                "active": S.nullable(S.boolean), "optedOut": S.nullable(S.boolean),
            ], additional: true), "Absent or null fields stay as they are."),
            "ProjectMetrics": S.object([
                "project": S.string, "weeks": S.integer, "openTickets": S.integer, "resolvedPerWeek": S.number,
                "medianResolutionHours": S.number,
                "people": S.array(S.object([
                    "id": S.string, "name": S.string, "openTickets": S.integer, "openLoad": S.number, "capacity": S.number,
                    "resolvedPerWeek": S.number, "medianResolutionHours": S.number,
                ], required: ["id", "name", "openTickets", "openLoad", "capacity", "resolvedPerWeek"])),
                "skillCoverage": S.described(S.map(S.integer), "Component or label to how many people resolved tickets with it."),
                "singlePersonSkills": S.described(S.map(S.string), "Skill to the only person who worked with it recently."),
            ], required: ["project", "weeks", "openTickets", "resolvedPerWeek", "people", "skillCoverage", "singlePersonSkills"]),
            "CustomSkill": S.object(["id": S.slug, "name": S.string, "category": S.slug, "aliases": S.array(S.string)],
                                    required: ["id", "name", "category", "aliases"]),
            "CustomSkillList": S.list("CustomSkill"),
            "CustomSkills": S.object(["items": S.array(S.ref("CustomSkill"))], required: ["items"], additional: true),
            "DetectRequest": S.object(["title": title, "description": S.text, "components": words,
                                       "labels": words, "useModel": S.nullable(S.boolean)],
                                      required: ["title"], additional: true),
            "DetectedSkill": S.object(["name": S.string, "weight": S.number, "source": S.oneOf(["taxonomy", "learned", "model", "declared"]),
                                       "evidence": S.array(S.string)], required: ["name", "weight", "source", "evidence"]),
            "DetectResponse": S.object(["skills": S.array(S.ref("DetectedSkill")), "source": S.string, "modelError": S.string,
                                        "contentHash": S.string, "cached": S.boolean, "vocabulary": S.string], required: ["skills", "source", "contentHash", "cached"]),
            "ImportReport": S.object(["created": S.integer, "updated": S.integer, "unchanged": S.integer,
                                      "rejected": S.array(S.object(["line": S.integer, "reason": S.string], required: ["line", "reason"])),
                                      "warnings": S.array(S.object(["line": S.integer, "reason": S.string], required: ["line", "reason"]))],
                                     required: ["created", "updated", "unchanged", "rejected"]),
            "PurgeReport": S.object(["deleted": S.integer], required: ["deleted"]),
            "RebalancePlan": S.object([
                "id": S.string, "project": S.string, "status": S.oneOf(["proposed", "applied", "undone"]), "createdAt": S.dateTime,
                "createdBy": S.string, "appliedAt": S.dateTime, "undoneAt": S.dateTime,
                "moves": S.array(S.object([
                    "ticket": S.string, "from": S.string, "to": S.string, "fromName": S.string, "toName": S.string,
                    "reasons": S.array(S.string), "planned": S.described(S.number, "The ticket's `updated` when planned (seconds since 1970)."),
                ], required: ["ticket", "from", "to", "fromName", "toName", "reasons", "planned"])),
                "unresolved": S.array(S.object(["ticket": S.described(S.string, "Absent when a person stays over capacity."),
                                                 "from": S.string, "reason": S.string], required: ["from", "reason"])),
                "refused": S.described(S.array(S.ref("RebalanceRefusal")),
                                       "Once applied: moves Jira refused (project synced with Jira), neither stored nor recorded; empty when every move was applied."),
                "undo": S.object(["restored": S.array(S.string),
                                  "skipped": S.array(S.object(["ticket": S.string, "reason": S.string], required: ["ticket", "reason"])),
                                  "refused": S.described(S.array(S.ref("RebalanceRefusal")),
                                                         "Restoring moves Jira refused: those tickets stay where the plan put them.")],
                                 required: ["restored", "skipped"]),
            ], required: ["id", "project", "status", "createdAt", "createdBy", "moves", "unresolved"]),
            "RebalanceRefusal": S.described(S.object([
                "ticket": S.string,
                "status": S.described(S.integer, "What the manual assignment would have answered: 400, 403, 404, 409, or 502 when Jira stayed unavailable after retries."),
                "reason": S.string,
            ], required: ["ticket", "status", "reason"]), "A move Jira refused."),
            "WhatIfRequest": S.object([
                "project": S.string,
                "weights": S.described(S.array(S.map(["type": "number", "minimum": 0, "maximum": 10])),
                                       "Weight sets to compare, each factor name to weight."),
            ], required: ["project", "weights"], additional: true),
            "WhatIfResult": S.object([
                "weights": S.described(S.map(S.number), "Every factor's weight used: the set's, and the scoring model's default for factors it leaves out."),
                "testTickets": S.described(S.integer, "Tickets ranked: the last 20% by resolution, each as it was created."),
                "inPool": S.described(S.integer, "Test tickets whose assignee was in the candidate pool: top-k and MRR are over these."),
                "coverage": S.described(S.unit, "inPool / testTickets: the share of test tickets the ranking could get right at all."),
                "top1": S.described(S.unit, "Share of in-pool test tickets whose real assignee was ranked first."),
                "top3": S.described(S.unit, "... among the first 3."), "top5": S.described(S.unit, "... among the first 5."),
                "top10": S.described(S.unit, "... among the first 10."),
                "mrr": S.described(S.unit, "Mean reciprocal rank of the real assignee over the in-pool test tickets (0 beyond the 10th)."),
                "loadGini": S.described(S.unit, "Load spread: Gini of first choices per person."),
                "meanSkillFit": S.described(S.unit, "Mean skill fit of the first choices."),
            ], required: ["weights", "testTickets", "inPool", "coverage", "top1", "top3", "top5", "top10", "mrr", "loadGini", "meanSkillFit"]),
            "WhatIfResponse": S.object([
                "tickets": S.described(S.integer, "Resolved, assigned tickets of the project replayed."),
                "results": S.described(S.array(S.ref("WhatIfResult")), "One per weight set, in request order."),
                "warnings": S.described(S.array(S.string),
                                        "Why the figures may mean little, in words with the counts and what to do: fewer than 50 in-pool test tickets (import more history). Empty otherwise."),
            ], required: ["tickets", "results", "warnings"]),
            "RoleList": S.described(S.list("RoleAssignment"),
                                    "The project's stored roles, then those for every project (`*`); roles carried only by tokens are not listed."),
            "QualityReport": S.object(qualityCounts.merging([
                "project": S.string, "weeks": ["type": "integer", "minimum": 1, "maximum": 52],
                "since": S.described(S.dateTime, "The window's start: the Monday (00:00 UTC) of its first ISO week."),
                "until": S.described(S.dateTime, "When the report was computed."),
                "byWeek": S.described(S.array(S.object(qualityCounts.merging(["week": S.described(S.day, "The week's Monday (UTC).")]) { $1 },
                                                       required: ["week"] + qualityFields)),
                                      "One entry per ISO week of the window, oldest first, with the same counts."),
            ]) { $1 }, required: ["project", "weeks", "since", "until", "byWeek"] + qualityFields),
            "AuditEntry": S.described(S.object([
                "kind": S.oneOf(["decision"] + StorageContract.AuditKind.allCases.map(\.rawValue)),
                "id": S.described(S.integer, "The decision's id, or the change's (ids of the two kinds are separate)."),
                "at": S.dateTime, "actor": S.described(S.string, "The principal who acted (`system` for automatic decisions)."),
                "project": S.nullable(S.described(S.string, "Null for tenant-wide changes (custom skills, people).")),
                "ticket": S.string, "mode": S.oneOf(["suggested", "auto", "manual", "override", "rebalance"]),
                "chosen": S.nullable(S.string), "previous": S.nullable(S.string), "reason": S.nullable(S.string),
                "target": S.described(S.string, "What changed: the project key (settings), the subject (role), the person's id (person), `*` (custom skills)."),
                // Any JSON value (no `type`): a settings or person object, a role name, custom skills by id.
                "before": ["nullable": true, "description": "The value before the change: the settings, the person, the role name, the custom skills that changed (by id); null when there was none."],
                "after": ["nullable": true, "description": "The value after the change; null when there is none (a role revoked, a custom skill removed)."],
            ], required: ["kind", "id", "at", "actor", "project"]),
                "A decision (`ticket`, `mode`, `chosen`, `previous`, `reason`) or an admin change (`target`, `before`, `after`)."),
            "AuditList": S.list("AuditEntry"),
            "OpenAPI": S.object(["openapi": S.string, "paths": S.map(S.object([:], additional: true))], required: ["openapi", "paths"], additional: true),
            "JiraWebhook": S.described(S.object(["webhookEvent": S.string, "issue": S.object([:], additional: true)], additional: true),
                                       "A Jira Cloud webhook event (jira:issue_created, jira:issue_updated)."),
            "Accepted": S.object([:], additional: true),
            "Page": S.string,
            "Status": S.object(["status": S.string, "down": S.array(S.string)], required: ["status"]),
        ]
    }
}
