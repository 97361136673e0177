import Contracts
import Foundation
import Model
import RPC
import Testing
import TestSupport

/// The real skills executable: local detection, and the model provider with its fallback and cache.
@Suite(.serialized) struct SkillsIntegrationTests {
    @Test func localDetectionThroughTheService() async throws {
        let skills = try await ServiceProcess(.skills)
        defer { skills.stop() }
        let client: SkillsClient = skills.client()
        defer { client.close() }
        let response = try await client.call(SkillsContract.detect, .init(title: "psql migration fails on k8s"),
                                             metadata: Metadata(tenant: "t"))
        #expect(response.source == "local")
        #expect(Set(response.skills.map(\.name)).isSuperset(of: ["postgresql", "kubernetes"]))
        await #expect(throws: RPCError.self) {
            _ = try await client.call(SkillsContract.detect, .init(title: String(repeating: "x", count: 70_000)), metadata: Metadata(tenant: "t"))
        }
    }

    @Test func theLearnedVocabularyFollowsNewlyResolvedTickets() async throws {
        let storage = try await ServiceProcess(.storage)
        defer { storage.stop() }
        let storageClient: StorageClient = storage.client()
        defer { storageClient.close() }
        let metadata = Metadata(tenant: "t")
        _ = try await storageClient.call(StorageContract.putTenant, .init(name: "t"), metadata: metadata)
        let runDir = storage.directory.path + "/run"
        try FileManager.default.createDirectory(atPath: runDir + "/sockets", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: runDir + "/sockets/storage-0.sock", withDestinationPath: storage.socket)
        let skills = try await ServiceProcess(.skills, environment: [
            "SMART_TICKET_RUN_DIR": runDir, "SMART_TICKET_SKILLS_VOCABULARY_REFRESH_SECONDS": "0",
        ], arguments: ["--run-dir", runDir])
        defer { skills.stop() }
        let client: SkillsClient = skills.client()
        defer { client.close() }
        func detect(_ version: String) async throws -> SkillsContract.DetectResponse {
            try await client.call(SkillsContract.detect, .init(title: "The frobnicator overheats again", dataVersion: version), metadata: metadata)
        }
        let before = try await storageClient.call(StorageContract.dataVersion, .init(), metadata: metadata).version
        let first = try await detect(before)
        #expect(!first.skills.contains { $0.name == "component:hardware-lab" })

        // Tickets resolved after the vocabulary was built: seen once the caller reports the new data version.
        let resolved = (1...16).map { number in
            Ticket(key: "T-\(number)", project: "T", title: number % 2 == 0 ? "Frobnicator overheats in rack \(number)" : "Login page slow for team \(number)",
                   components: [number % 2 == 0 ? "hardware-lab" : "web"], status: .done, assignee: "ana",
                   created: Date(timeIntervalSince1970: 1_000), resolved: Date(timeIntervalSince1970: 2_000))
        }
        _ = try await storageClient.call(StorageContract.putTickets, .init(tickets: resolved, createMissingProjects: true), metadata: metadata)
        #expect(try await detect(before).vocabulary == first.vocabulary, "no rebuild without a new data version")
        let after = try await storageClient.call(StorageContract.dataVersion, .init(), metadata: metadata).version
        #expect(after != before)
        var rebuilt = try await detect(after)
        let deadline = Date().addingTimeInterval(20)
        while rebuilt.vocabulary == first.vocabulary && Date() < deadline {
            try await Task.sleep(nanoseconds: 50_000_000)
            rebuilt = try await detect(after)
        }
        #expect(rebuilt.vocabulary != first.vocabulary)
        #expect(rebuilt.skills.contains { $0.name == "component:hardware-lab" && $0.source == .learned }, "\(rebuilt.skills.map(\.name))")
        #expect(try await detect(after).vocabulary == rebuilt.vocabulary, "the same version does not rebuild again")
    }

    @Test func modelAnswersAreUsedCachedAndFallBackToLocal() async throws {
        let fake = try FakeHTTPServer()
        defer { fake.stop() }
        let answer = #"{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{\"skills\":[{\"name\":\"billing\",\"weight\":0.95}]}","refusal":null},"finish_reason":"stop"}]}"#
        fake.enqueue(.init(status: 200, body: answer), .init(status: 500, body: #"{"error":{"message":"down"}}"#))
        fake.setFallback { _ in .init(status: 500, body: #"{"error":{"message":"down"}}"#) }
        let storage = try await ServiceProcess(.storage)
        defer { storage.stop() }
        let storageClient: StorageClient = storage.client()
        defer { storageClient.close() }
        _ = try await storageClient.call(StorageContract.putTenant, .init(name: "t"), metadata: Metadata(tenant: "t"))
        // The skills service reaches this storage through the run directory's sockets folder.
        let runDir = storage.directory.path + "/run"
        try FileManager.default.createDirectory(atPath: runDir + "/sockets", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: runDir + "/sockets/storage-0.sock", withDestinationPath: storage.socket)
        let skills = try await ServiceProcess(.skills, environment: [
            "SMART_TICKET_SKILLS_MODEL_BASE_URL": fake.baseURL + "/v1", "TEST_MODEL_KEY": "sk-test-0123456789abcdefghij",
            "SMART_TICKET_SKILLS_MODEL_API_KEY_ENV": "TEST_MODEL_KEY", "SMART_TICKET_RUN_DIR": runDir,
        ], arguments: ["--run-dir", runDir])
        defer { skills.stop() }
        let client: SkillsClient = skills.client()
        defer { client.close() }
        let request = SkillsContract.DetectRequest(title: "Invoices show the wrong VAT", description: "Reported by bob@example.com")
        let first = try await client.call(SkillsContract.detect, request, metadata: Metadata(tenant: "t"))
        #expect(first.source == "model" && !first.cached)
        #expect(first.skills.contains { $0.name == "billing" && $0.source == .model })
        // The same text is never sent twice: the second answer comes from the cache.
        let second = try await client.call(SkillsContract.detect, request, metadata: Metadata(tenant: "t"))
        #expect(second.source == "model" && second.cached)
        #expect(fake.requests.count == 1)
        #expect(!String(decoding: fake.requests[0].body, as: UTF8.self).contains("bob@example.com"))
        // A failing model falls back to the local detector and says so.
        let other = try await client.call(SkillsContract.detect, .init(title: "Kubernetes pod crash loop"), metadata: Metadata(tenant: "t"))
        #expect(other.source == "local-fallback")
        #expect(other.modelError?.hasPrefix("server_error") == true)
        #expect(other.skills.contains { $0.name == "kubernetes" })
    }
}
