import Contracts
import Foundation
import Harness
import Observability
import RPC
import Testing
import Workflows

/// Learning reaches every instance: one that is not running is skipped, one that fails to learn is told to forget the
/// tenant instead, and only an instance that can do neither makes the call fail, naming it.
@Suite struct TenantLearningTests {
    /// A scoring instance that counts what it is told, per tenant, and fails learning or forgetting when asked to.
    final class FakeScoring: Sendable {
        let learned = Locked<[String]>([])
        let forgotten = Locked<[String]>([])
        let server: RPCServer

        init(path: String, instance: Int, failLearn: Bool = false, failReset: Bool = false) throws {
            var router = Router()
            let learned = self.learned, forgotten = self.forgotten
            router.registerBlocking(ScoringContract.learn) { request, context in
                if failLearn { throw RPCError(.internalError, "model broken") }
                learned.withLock { $0 += request.tickets.map(\.key) + (request.overrides ?? []).map { "override:\($0.ticket.key)" } }
                return ScoringContract.LearnResponse(learned: request.tickets.count)
            }
            router.registerBlocking(ScoringContract.reset) { _, context in
                if failReset { throw RPCError(.internalError, "stuck") }
                forgotten.withLock { $0.append(context.metadata.tenant ?? "") }
                return StorageContract.Empty()
            }
            server = RPCServer(socketPath: path, router: router, identity: .init(service: "scoring", version: "1", instance: instance),
                               logger: Logger(label: "test", sink: .discard))
            try server.start()
        }
    }

    let resolved: Ticket = {
        var ticket = Ticket(key: "T-1", project: "T", title: "ledger export fails", created: Date(timeIntervalSince1970: 0))
        ticket.assignee = "alice"
        ticket.status = .done
        ticket.resolved = Date(timeIntervalSince1970: 60)
        return ticket
    }()

    @Test func everyRunningInstanceLearnsAndOneThatCannotForgetsTheTenant() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let paths = (0..<3).map { directory.file("scoring-\($0).sock") }
        let good = try FakeScoring(path: paths[0], instance: 0)
        let broken = try FakeScoring(path: paths[1], instance: 1, failLearn: true)
        defer { good.server.stop(); broken.server.stop() }
        let client = ScoringClient(service: "scoring", socketPaths: paths)   // nothing listens at paths[2]
        defer { client.close() }
        let learning = TenantLearning(scoring: client, skills: nil)
        let metadata = Metadata(tenant: "acme", principal: "test")

        var open = resolved
        open.resolved = nil
        try await learning.learn([resolved, open], overrides: [.init(ticket: resolved, from: "bob")], metadata: metadata)
        #expect(good.learned.withLock { $0 } == ["T-1", "override:T-1"], "only the resolved ticket, and the override")
        #expect(good.forgotten.withLock { $0 }.isEmpty)
        #expect(broken.forgotten.withLock { $0 } == ["acme"], "it reloads the tenant from storage instead")

        try await learning.forget(metadata: metadata)
        #expect(good.forgotten.withLock { $0 } == ["acme"])
        #expect(broken.forgotten.withLock { $0 } == ["acme", "acme"])
    }

    @Test func anInstanceThatCanNeitherLearnNorForgetFailsTheCall() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("scoring-0.sock")
        let stuck = try FakeScoring(path: path, instance: 0, failLearn: true, failReset: true)
        defer { stuck.server.stop() }
        let client = ScoringClient(service: "scoring", socketPaths: [path])
        defer { client.close() }
        do {
            try await TenantLearning(scoring: client, skills: nil).learn([resolved], metadata: Metadata(tenant: "acme", principal: "test"))
            Issue.record("a stuck instance must fail the call")
        } catch let error as RPCError {
            #expect(error.code == .internalError)
            #expect(error.message.contains("scoring instance 0"), "\(error.message)")
        }
    }
}
