import Contracts
import Foundation
import Harness
import Testing

/// Issue 19, items 1-3: the skills service detects the skills of the tickets people resolved (scoring asks it,
/// `skills.v1/TicketSkills`, and learns them), so a ticket that arrives without components goes to the person who
/// did that kind of work, even in words they never used; the reasons name the skill.
@Suite(.serialized) struct LearnedSkillsIntegrationTests {
    /// What ana and ben resolved: Kubernetes and CSS work, without components or labels, and without the words of the
    /// tickets ranked below (so similar work cannot explain the ranking).
    static let history: [(title: String, person: String)] = [
        ("Helm chart upgrade fails", "ana"), ("kubectl rollout hangs", "ana"), ("Kubernetes ingress returns 502", "ana"),
        ("Node eviction under memory pressure, k8s cluster", "ana"),
        ("CSS grid collapses", "ben"), ("Stylesheet specificity war at page top", "ben"), ("Flexbox alignment wrong by one pixel", "ben"),
        ("SCSS variables ignored by bundler", "ben"),
    ]

    @Test func skillsOfResolvedTicketsRouteTicketsWithoutComponents() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let root = try await OpenAPIClient.token(system, tenant: "learned", subject: "lead", role: "admin")
        let lines = Self.history.enumerated().map { index, ticket in
            InstancesIntegrationTests.line("OPS-\(index + 1)", ticket.title, assignee: ticket.person, done: true, daysAgo: Double(39 - index))
        }
        let imported = try await api.call("POST", "/api/v1/import", token: root, body: lines.joined(separator: "\n") + "\n")
        #expect(imported.object["created"] as? Int == Self.history.count, "\(imported.text)")

        for (number, title, expected, skill) in [(300, "Pods stuck in CrashLoopBackOff", "ana", "kubernetes"),
                                                 (400, "Safari renders sidebar with wrong CSS", "ben", "css")] {
            let key = "OPS-\(number)"   // numbered far from the history: no siblings
            #expect(try await api.call("POST", "/api/v1/tickets", token: root, body: ["key": key, "project": "OPS", "title": title]).status == 201)
            let ranking = try await api.call("GET", "/api/v1/tickets/\(key)/recommendations", token: root)
            let candidates = try #require(ranking.object["candidates"] as? [[String: Any]], "\(ranking.text)")
            let first = try #require(candidates.first)
            #expect((first["person"] as? [String: Any])?["id"] as? String == expected, "\(title): \(ranking.text)")
            let other = expected == "ana" ? "ben" : "ana"
            let fit = try #require(OverrideLearningIntegrationTests.factor("skillFit", of: expected, in: ranking.object))
            #expect(fit > 0 && OverrideLearningIntegrationTests.factor("skillFit", of: other, in: ranking.object) == 0, "\(ranking.text)")
            #expect((first["reasons"] as? [String] ?? []).contains { $0.hasPrefix("has worked with") && $0.contains(skill) }, "\(ranking.text)")
        }
        #expect(await system.stop() == 0)
    }
}
