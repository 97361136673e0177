import Contracts
import Foundation
import Harness
import RPC
import Testing

/// Every instance sees the same truth: with two scoring and two skills instances, an override, a resolution (by
/// `PATCH`, by the import route and command) and an uninstall change the very next answer of each instance, asked directly.
@Suite(.serialized) struct InstancesIntegrationTests {
    static let environment = ["SMART_TICKET_INSTANCES_SCORING": "2", "SMART_TICKET_INSTANCES_SKILLS": "2"]

    /// One line of a JSONL history.
    /// One ticket of a history to import, in the project its key names (`OPS-1`: OPS), created a day before `daysAgo`
    /// and, when `done`, resolved `daysAgo` days ago.
    static func line(_ key: String, _ title: String, components: [String] = [], assignee: String?, done: Bool, daysAgo: Double) -> String {
        let format = ISO8601DateFormatter()
        var object: [String: Any] = ["key": key, "project": String(key.prefix { $0 != "-" }), "title": title, "components": components, "labels": [String](),
                                     "created": format.string(from: Date().addingTimeInterval(-(daysAgo + 1) * 86_400)),
                                     "status": done ? "done" : "todo"]
        if let assignee { object["assignee"] = assignee }
        if done { object["resolved"] = format.string(from: Date().addingTimeInterval(-daysAgo * 86_400)) }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// alice resolves storage tickets, bob network ones, carol web ones; OPS-100 (storage) is open and unassigned,
    /// OPS-101 (a word nobody resolved before) is open and carol's.
    static func history() -> String {
        var lines: [String] = []
        let work = [("alice", "storage compaction stalls", "storage"), ("bob", "network timeout on the proxy", "network"),
                    ("carol", "web page layout broken", "web")]
        for index in 0..<12 {
            let (person, title, component) = work[index % 3]
            lines.append(line("OPS-\(index + 1)", "\(title) \(index)", components: [component], assignee: person, done: true,
                              daysAgo: Double(20 - index)))
        }
        lines.append(line("OPS-100", "storage compaction stalls again", components: ["storage"], assignee: nil, done: false, daysAgo: 1))
        lines.append(line("OPS-101", "zorblax quuxinator flange", assignee: "carol", done: false, daysAgo: 1))
        return lines.joined(separator: "\n") + "\n"
    }

    func start() async throws -> (RunningSystem, GatewayIntegrationTests.Client, admin: String, member: String) {
        let system = try await RunningSystem(environment: Self.environment)
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let admin = try await GatewayIntegrationTests().token(system, tenant: "acme", subject: "ada", role: "admin")
        let member = try await GatewayIntegrationTests().token(system, tenant: "acme", subject: "mo", role: "member")
        let (status, report) = try await api.call("POST", "/api/v1/import", token: admin, body: Self.history())
        #expect(status == 200 && report["created"] as? Int == 14, "\(report)")
        return (system, api, admin, member)
    }

    @Test func anOverrideAndResolutionsChangeTheNextRankingOfEveryInstance() async throws {
        let (system, api, admin, member) = try await start()
        defer { system.directory.remove() }
        let fleet = InstanceFleet(system, tenant: "acme")
        defer { fleet.close() }
        let open = Ticket(key: "OPS-100", project: "OPS", title: "storage compaction stalls again", components: ["storage"], created: Date())

        // Both scoring and both skills instances have the tenant loaded: what follows must reach each of them live.
        let before = try await fleet.rankings(open)
        let vocabularies = try await fleet.vocabularies()

        // An override: the recommendation's first choice is replaced; every instance ranks that person lower at once.
        let (recommended, recommendation) = try await api.call("POST", "/api/v1/tickets/OPS-100/recommendations", token: member)
        #expect(recommended == 200, "\(recommendation)")
        let candidates = try #require(recommendation["candidates"] as? [[String: Any]])
        let top = try #require((candidates.first?["person"] as? [String: Any])?["id"] as? String)
        let other = try #require(["alice", "bob", "carol"].first { $0 != top })
        let (assigned, decision) = try await api.call("POST", "/api/v1/tickets/OPS-100/assignment", token: member,
                                                      body: #"{"assignee":"\#(other)","reason":"knows this area"}"#)
        #expect(assigned == 200 && decision["mode"] as? String == "override", "\(decision)")
        let after = try await fleet.rankings(open)
        for instance in 0..<2 {
            // (Its words are in more than a fifth of the history, so only the components tell people apart here.)
            let was = try #require(InstanceFleet.factor("skillFit", of: top, in: before[instance]))
            let now = try #require(InstanceFleet.factor("skillFit", of: top, in: after[instance]))
            #expect(was > 0 && now < was, "scoring instance \(instance): \(top)'s skillFit \(was) -> \(now)")
        }

        // A resolution by PATCH: carol resolved the first ticket with these words; every instance knows it at once.
        let zorblax = try await fleet.rankings(title: "zorblax quuxinator flange broken")
        for instance in 0..<2 { #expect(zorblax[instance].candidates.allSatisfy { $0.factors["similarWork"]?.value == 0 }) }
        let (patched, ticket) = try await api.call("PATCH", "/api/v1/tickets/OPS-101", token: member, body: #"{"status":"done"}"#)
        #expect(patched == 200 && ticket["status"] as? String == "done", "\(ticket)")
        let learned = try await fleet.rankings(title: "zorblax quuxinator flange broken")
        for instance in 0..<2 {
            #expect(learned[instance].candidates.first?.person == "carol", "scoring instance \(instance): \(learned[instance].candidates.map(\.person))")
            #expect((InstanceFleet.factor("similarWork", of: "carol", in: learned[instance]) ?? 0) > 0)
        }
        let afterPatch = try await fleet.vocabularies()
        for instance in 0..<2 { #expect(afterPatch[instance] != vocabularies[instance], "skills instance \(instance) learned nothing") }

        // A resolution by import: the same, for bob.
        let glorp = Self.line("OPS-102", "glorp widget frobber", assignee: "bob", done: true, daysAgo: 0)
        let (imported, report) = try await api.call("POST", "/api/v1/import", token: admin, body: glorp + "\n")
        #expect(imported == 200 && report["created"] as? Int == 1, "\(report)")
        let glorped = try await fleet.rankings(title: "glorp widget frobber again")
        for instance in 0..<2 {
            #expect(glorped[instance].candidates.first?.person == "bob", "scoring instance \(instance): \(glorped[instance].candidates.map(\.person))")
            #expect((InstanceFleet.factor("similarWork", of: "bob", in: glorped[instance]) ?? 0) > 0)
        }
        let afterImport = try await fleet.vocabularies()
        for instance in 0..<2 { #expect(afterImport[instance] != afterPatch[instance], "skills instance \(instance) learned nothing") }

        // A resolution imported with `smart-ticket import`: the command finds every instance through the launcher.
        let file = system.directory.file("wibble.jsonl")
        let wibble = Self.line("OPS-103", "wibble sprocket hinge", assignee: "alice", done: true, daysAgo: 0)
        FileManager.default.createFile(atPath: file, contents: Data((wibble + "\n").utf8))
        let command = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "import", "--run-dir", system.runDirectory.path, "--tenant", "acme", "--quiet", file])
        #expect(command.status == 0, "\(command.stderr)")
        let wibbled = try await fleet.rankings(title: "wibble sprocket hinge again")
        for instance in 0..<2 {
            #expect(wibbled[instance].candidates.first?.person == "alice", "scoring instance \(instance): \(wibbled[instance].candidates.map(\.person))")
            #expect((InstanceFleet.factor("similarWork", of: "alice", in: wibbled[instance]) ?? 0) > 0)
        }
        let afterCommand = try await fleet.vocabularies()
        for instance in 0..<2 { #expect(afterCommand[instance] != afterImport[instance], "skills instance \(instance) learned nothing") }
        #expect(await system.stop() == 0)
    }

    @Test func uninstallEmptiesEveryInstanceAndATenantCreatedAgainStartsEmpty() async throws {
        let (system, api, admin, _) = try await start()
        defer { system.directory.remove() }
        let fleet = InstanceFleet(system, tenant: "acme")
        defer { fleet.close() }
        // carol resolved the zorblax ticket before any instance loaded the tenant: each reads it from storage.
        let resolved = Self.line("OPS-101", "zorblax quuxinator flange", assignee: "carol", done: true, daysAgo: 0)
        let (updated, report) = try await api.call("POST", "/api/v1/import", token: admin, body: resolved + "\n")
        #expect(updated == 200 && report["updated"] as? Int == 1, "\(report)")

        // Custom skills reach every skills instance, the ones that had the tenant loaded too.
        #expect(try await fleet.customSkills() == [[], []])
        let custom = #"{"items":[{"id":"ledger","name":"The Ledger","category":"domain","aliases":["the ledger"]}]}"#
        #expect(try await api.call("PUT", "/api/v1/skills/custom", token: admin, body: custom).0 == 200)
        #expect(try await fleet.customSkills() == [["ledger"], ["ledger"]])
        let known = try await fleet.rankings(title: "zorblax quuxinator flange broken")
        for instance in 0..<2 {
            #expect(known[instance].candidates.first?.person == "carol")
            #expect((InstanceFleet.factor("similarWork", of: "carol", in: known[instance]) ?? 0) > 0)
        }

        let (deleted, answer) = try await api.call("DELETE", "/api/v1/tenant", token: admin)
        #expect(deleted == 200, "\(answer)")

        // The same name again, with carol and others, none of whom resolved anything like it.
        let again = Self.history().split(separator: "\n").prefix(6).joined(separator: "\n") + "\n"
        let (imported, recreated) = try await api.call("POST", "/api/v1/import", token: admin, body: again)
        #expect(imported == 200 && recreated["created"] as? Int == 6, "\(recreated)")
        let fresh = try await fleet.rankings(title: "zorblax quuxinator flange broken")
        for instance in 0..<2 {
            #expect(fresh[instance].candidates.contains { $0.person == "carol" })
            #expect(fresh[instance].candidates.allSatisfy { $0.factors["similarWork"]?.value == 0 },
                    "scoring instance \(instance) remembers: \(fresh[instance].candidates.map { ($0.person, $0.factors["similarWork"]?.value ?? -1) })")
        }
        #expect(try await fleet.customSkills() == [[], []])
        #expect(await system.stop() == 0)
    }

    @Test func aResolutionWhileAnInstanceIsDownReachesItWhenItStartsAgain() async throws {
        let (system, api, _, member) = try await start()
        defer { system.directory.remove() }
        let fleet = InstanceFleet(system, tenant: "acme")
        defer { fleet.close() }
        _ = try await fleet.rankings(title: "zorblax quuxinator flange broken")   // both loaded

        // Scoring instance 1 dies; the resolution is acknowledged by the instance that runs, and the other is skipped.
        let status = try await system.status()
        let victim = try #require(status.instances.first { $0.service == .scoring && $0.instance == 1 })
        let pid = try #require(victim.pid)
        kill(pid, SIGKILL)
        let (patched, ticket) = try await api.call("PATCH", "/api/v1/tickets/OPS-101", token: member, body: #"{"status":"done"}"#)
        #expect(patched == 200 && ticket["status"] as? String == "done", "\(ticket)")

        // Back on a new process, it loads the tenant from storage, resolution included.
        let deadline = Date().addingTimeInterval(60)
        var back = false
        while !back && Date() < deadline {
            if let now = try? await system.status(timeout: 1),
               let instance = now.instances.first(where: { $0.service == .scoring && $0.instance == 1 }),
               instance.health == "SERVING", let newPid = instance.pid, newPid != pid { back = true }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(back, "scoring instance 1 came back")
        let learned = try await fleet.rankings(title: "zorblax quuxinator flange broken")
        for instance in 0..<2 {
            #expect(learned[instance].candidates.first?.person == "carol", "scoring instance \(instance): \(learned[instance].candidates.map(\.person))")
            #expect((InstanceFleet.factor("similarWork", of: "carol", in: learned[instance]) ?? 0) > 0)
        }
        #expect(await system.stop() == 0)
    }
}
