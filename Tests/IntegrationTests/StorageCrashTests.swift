import Contracts
import Foundation
import Harness
import RPC

import Testing

/// Acknowledged writes survive `kill -9` of the storage process: durable ones (tickets) and those
/// acknowledged before their sync (suggestions' decision records, see SECURITY.md "Durability"),
/// which a crash of the process must not lose either.
@Suite(.serialized) struct StorageCrashTests {
    @Test func acknowledgedWritesSurviveRepeatedKills() async throws {
        let config = TemporaryDirectory(prefix: "cfg")
        defer { config.remove() }
        FileManager.default.createFile(atPath: config.file("c.json"), contents: Data("""
            {"restart": {"maxRestarts": 1000, "windowSeconds": 10, "initialBackoffSeconds": 0.02, "maxBackoffSeconds": 0.1}}
            """.utf8))
        let system = try await RunningSystem(extraArguments: ["--config", config.file("c.json")])
        defer { system.directory.remove() }
        let storage = StorageClient(service: "storage", socketPaths: [system.runDirectory.socket(.storage, instance: 0)], defaultTimeout: 5)
        defer { storage.close() }
        let metadata = Metadata(tenant: "durable")
        _ = try await storage.call(StorageContract.putTenant, .init(name: "durable"), metadata: metadata)
        _ = try await storage.call(StorageContract.putProject, Project(key: "D", name: "D"), metadata: metadata)

        let acknowledged = Locked(Set<String>())
        let suggested = Locked(Set<String>())
        let writing = Locked(true)
        // The killer: kill -9 the storage process at random moments while writes go on.
        let killer = Task { () -> Int in
            var kills = 0
            while writing.withLock({ $0 }) || kills < 20 {
                try? await Task.sleep(nanoseconds: UInt64.random(in: 30_000_000...250_000_000))
                guard let status = try? await system.status(timeout: 1),
                      let storage = status.instances.first(where: { $0.service == .storage }),
                      storage.health == "SERVING", let pid = storage.pid else { continue }
                kill(pid, SIGKILL)
                kills += 1
            }
            return kills
        }
        // The writers: 1,000 tickets, 10 at a time, each retried until acknowledged, then a suggestion for it.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<10 {
                group.addTask {
                    for index in 0..<100 {
                        let key = "D-\(worker * 100 + index)"
                        let ticket = Ticket(key: key, project: "D", title: "write \(key)", created: Date())
                        let deadline = Date().addingTimeInterval(60)
                        while Date() < deadline {
                            do {
                                let response = try await storage.call(StorageContract.putTickets, .init(tickets: [ticket]), metadata: metadata, timeout: 2)
                                if response.created + response.unchanged == 1 {
                                    _ = acknowledged.withLock { $0.insert(key) }
                                    break
                                }
                            } catch {
                                try await Task.sleep(nanoseconds: 20_000_000)
                            }
                        }
                        let suggestion = StorageContract.DecisionRecord(ticket: key, project: "D", mode: .suggested, chosen: nil,
                                                                         candidatesJSON: Array("[]".utf8), actor: "crash-test")
                        while Date() < deadline {
                            do {
                                _ = try await storage.call(StorageContract.appendDecisionRecord, suggestion, metadata: metadata, timeout: 2)
                                _ = suggested.withLock { $0.insert(key) }
                                break
                            } catch {
                                try await Task.sleep(nanoseconds: 20_000_000)
                            }
                        }
                        try await Task.sleep(nanoseconds: UInt64.random(in: 20_000_000...90_000_000))
                    }
                }
            }
            try await group.waitForAll()
        }
        writing.withLock { $0 = false }
        let kills = await killer.value
        #expect(kills >= 20)
        let acked = acknowledged.withLock { $0 }
        #expect(acked.count == 1000)

        try await system.waitUntilServing(timeout: 30)
        var stored = Set<String>()
        var cursor: String?
        repeat {
            let page = try await storage.call(StorageContract.listTickets, .init(project: "D", cursor: cursor, limit: 1000), metadata: metadata)
            stored.formUnion(page.items.map(\.key))
            cursor = page.next
        } while cursor != nil
        #expect(acked.isSubset(of: stored), "lost: \(acked.subtracting(stored).sorted().prefix(10))")

        let suggestions = suggested.withLock { $0 }
        #expect(suggestions.count == 1000)
        var recorded = Set<String>()
        cursor = nil
        repeat {
            let page = try await storage.call(StorageContract.listDecisions, .init(project: "D", cursor: cursor, limit: 1000), metadata: metadata)
            recorded.formUnion(page.items.filter { $0.mode == .suggested }.map(\.ticket))
            cursor = page.next
        } while cursor != nil
        #expect(suggestions.isSubset(of: recorded), "lost suggestions: \(suggestions.subtracting(recorded).sorted().prefix(10))")
        #expect(await system.stop() == 0)

        let check = try await ProcessRunner.run("/usr/bin/sqlite3", [system.directory.file("data/smart-ticket.sqlite"), "PRAGMA integrity_check"])
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        print("storage crash test: \(kills) kills, \(acked.count) tickets and \(suggestions.count) suggestions acknowledged, all present")
    }
}
