import Contracts
import Foundation
import JiraClient
import RPC

extension JiraSyncEngine {
    /// Syncs one project's tickets from its cursor (or backfills it).
    func syncProject(_ key: String, name: String, full: Bool, connection: JiraConnection, client: JiraClient, metadata: Metadata,
                     tenant: String, report: inout GatewayContract.JiraSyncReport) async throws {
        setProgress(tenant) { $0.phase = "tickets"; $0.project = key }
        do {
            _ = try await storage.call(StorageContract.getProject, .init(key), metadata: metadata)
        } catch let error as RPCError where error.code == .notFound {
            // Jira projects recommend only people Jira says are assignable.
            _ = try await storage.call(StorageContract.putProject, Project(key: key, name: name, settings: ProjectSettings(candidatePool: "assignable")),
                                       metadata: metadata)
        }
        let state = try await storage.call(StorageContract.getSyncState, .init(key), metadata: metadata)
        let previous = state.cursor.flatMap(ISO8601.parse)
        let backfill = full || previous == nil
        report.backfill = report.backfill || backfill
        let jql: String
        if backfill {
            let since = Calendar(identifier: .gregorian).date(byAdding: .month, value: -settings.backfillMonths, to: Date()) ?? Date()
            jql = "project = \(JQL.quote(key)) AND (statusCategory != Done OR resolved >= \(JQL.date(since, timeZone: connection.timeZone))) ORDER BY updated ASC"
        } else {
            // JQL has minute precision: start a minute early; upserts make the overlap harmless.
            jql = "project = \(JQL.quote(key)) AND updated >= \(JQL.date(previous!.addingTimeInterval(-60), timeZone: connection.timeZone)) ORDER BY updated ASC"
        }
        // Without any ticket the cursor starts where this sync started (less ten minutes for clock skew).
        let started = Date().addingTimeInterval(-600)
        var cursor = previous
        var local = report
        // Changelogs come inline (one request per page instead of one per issue); long ones are fetched.
        try await client.search(jql: jql, fields: JiraClient.issueFields(storyPointsField: connection.storyPointsField), expand: "changelog",
                                storyPointsField: connection.storyPointsField) { issues in
            let page = issues.filter { $0.project == key }
            try await self.store(page, previous: previous, connection: connection, client: client, metadata: metadata, report: &local)
            if let newest = page.compactMap({ $0.ticket.updated }).max(), newest > (cursor ?? .distantPast) { cursor = newest }
            if let cursor {
                _ = try await self.storage.call(StorageContract.putSyncState, SyncState(project: key, cursor: ISO8601.format(cursor), lastSync: state.lastSync),
                                                metadata: metadata)
            }
            self.setProgress(tenant) { $0.ticketsSeen += page.count }
        }
        report = local
        _ = try await storage.call(StorageContract.putSyncState, SyncState(project: key, cursor: ISO8601.format(cursor ?? started), lastSync: Date()),
                                   metadata: metadata)
    }

    /// Stores one page: the people it names, the tickets, the reassignments in their changelogs, and
    /// the newly resolved tickets for the model.
    func store(_ issues: [JiraIssue], previous: Date?, connection: JiraConnection, client: JiraClient, metadata: Metadata,
               report: inout GatewayContract.JiraSyncReport) async throws {
        guard !issues.isEmpty else { return }
        report.ticketsSeen += issues.count
        // Former assignees are people to learn from, though not assignable now.
        let named = Dictionary(issues.compactMap { $0.assignee.map { ($0.accountId, $0) } }, uniquingKeysWith: { first, _ in first })
        if !named.isEmpty {
            let people = named.values.map { Person(id: $0.accountId, displayName: String($0.displayName.prefix(255)), active: $0.active) }
            _ = try await storage.call(StorageContract.putPeople, .init(people: people, onlyIfMissing: true), metadata: metadata)
        }
        let tickets = issues.map(\.ticket)
        let response = try await storage.call(StorageContract.putTickets, .init(tickets: tickets), metadata: metadata)
        report.created += response.created
        report.updated += response.updated
        report.unchanged += response.unchanged
        report.rejected += response.rejects.count
        for reject in response.rejects.prefix(5) {
            logger.warning("jira ticket rejected", ["key": .string(reject.key ?? "?"), "reason": .string(reject.reason)])
        }
        let rejected = Set(response.rejects.compactMap(\.key))
        // A ticket resolved after the cursor was not resolved when the last sync saw it: learn it once.
        let learn = tickets.filter { ticket in
            guard let resolved = ticket.resolved, ticket.assignee != nil, !rejected.contains(ticket.key) else { return false }
            return previous.map { resolved > $0 } ?? true
        }
        if !learn.isEmpty {
            try await learning.learn(learn, metadata: metadata)   // every scoring and skills instance, before the cursor moves
            report.learned += learn.count
        }
        // Created after the last sync's newest change, open and unassigned: arrivals (a ticket seen again in the
        // cursor's overlap is older). A backfill (no previous cursor) never counts, so connecting a project never
        // assigns its whole backlog.
        if let previous {
            await arrived(tickets.filter { ticket in
                !rejected.contains(ticket.key) && ticket.assignee == nil && ticket.status != .done && ticket.created > previous
            }, metadata: metadata)
        }
        report.reassignments += try await recordReassignments(issues.filter { issue in
            !rejected.contains(issue.key) && issue.assignee != nil && (previous.map { issue.ticket.updated >= $0 } ?? true)
        }, previous: previous, connection: connection, client: client, metadata: metadata)
    }

    /// Records each reassignment (from one person to another, by someone other than SmartTicket) made
    /// after `previous` as an override decision: what the model learns its mistakes from.
    func recordReassignments(_ issues: [JiraIssue], previous: Date?, connection: JiraConnection, client: JiraClient,
                             metadata: Metadata) async throws -> Int {
        let changelogs = try await withThrowingTaskGroup(of: (JiraIssue, [JiraChangelogEntry]).self) { group in
            for issue in issues {
                group.addTask {
                    if let inline = issue.changelog { return (issue, inline) }
                    return (issue, try await client.changelog(issue.key))
                }
            }
            var all: [(JiraIssue, [JiraChangelogEntry])] = []
            for try await pair in group { all.append(pair) }
            return all.sorted { $0.0.key < $1.0.key }
        }
        var recorded = 0
        for (issue, entries) in changelogs {
            var known: [Decision]?
            for entry in entries {
                guard let change = entry.assigneeChange, let from = change.from, let to = change.to, from != to,
                      let at = entry.created, previous.map({ at > $0 }) ?? true,
                      entry.authorAccountId == nil || entry.authorAccountId != connection.accountId else { continue }
                // A webhook may have recorded it already.
                if known == nil {
                    known = try await storage.call(StorageContract.listDecisions, .init(ticket: issue.key, limit: 1000, newestFirst: true),
                                                   metadata: metadata).items
                }
                if Self.alreadyRecorded(known ?? [], changelogID: entry.id, from: from, to: to, at: at) { continue }
                _ = try await storage.call(StorageContract.putPeople, .init(people: [Person(id: from, displayName: from), Person(id: to, displayName: to)],
                                                                           onlyIfMissing: true), metadata: metadata)
                _ = try await storage.call(StorageContract.appendDecision, Decision(
                    ticket: issue.key, project: issue.project, mode: .override, chosen: to, previous: from,
                    actor: "jira:\(entry.authorAccountId ?? "unknown")", at: at, reason: "reassigned in Jira (changelog \(entry.id))"),
                    metadata: metadata)
                await learning.learnOverride(ticket: issue.ticket, from: from, to: to, at: at, metadata: metadata)
                recorded += 1
            }
        }
        return recorded
    }
}

extension JiraSyncEngine {
    /// Whether `decisions` already hold this reassignment: the same changelog id, or the same move
    /// recorded by a person-made decision within an hour of it (a webhook without the id).
    static func alreadyRecorded(_ decisions: [Decision], changelogID: String?, from: String?, to: String, at: Date) -> Bool {
        decisions.contains { decision in
            if let changelogID, decision.reason?.hasSuffix("(changelog \(changelogID))") == true { return true }
            return (decision.mode == .override || decision.mode == .manual) && decision.chosen == to && decision.previous == from
                && abs(decision.at.timeIntervalSince(at)) < 3600
        }
    }
}
