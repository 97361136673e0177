import Foundation
import Harness
import Observability
import Testing
import Wire
@testable import RPC

/// The echo message takes the `BinaryCodable` path through a real server and client; a body the
/// `Codable` path refuses is refused with the same INVALID_ARGUMENT message, naming the field.
@Suite struct EchoBinaryCodableTests {
    private struct PartialSkill: Codable, Sendable {
        var name: String
        var source: String
    }

    /// An echo message whose skills lack their weight.
    private struct PartialEcho: Codable, Sendable {
        var key, project, title, description: String
        var components, labels: [String]
        var created: Date
        var skills: [PartialSkill]
        var attributes: [String: String]
    }

    @Test func echoRoundTripsAndABadBodyNamesTheField() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = RPCServer(socketPath: dir.file("a.sock"), router: Router(), identity: .init(service: "test", version: "1", instance: 0),
                               logger: Logger(label: "test", sink: .discard))
        try server.start()
        defer { server.stop() }
        let client = RPCClient(service: "test", socketPaths: [dir.file("a.sock")])
        defer { client.close() }

        let message = EchoMessage.sample()
        #expect(try await client.call(StandardMethods.echo, message) == message)

        let partial = PartialEcho(key: "K-1", project: "K", title: "t", description: "", components: [], labels: [],
                                  created: Date(timeIntervalSince1970: 0), skills: [PartialSkill(name: "go", source: "taxonomy")],
                                  attributes: [:])
        let body = try BinaryEncoder().encode(partial)
        var generic = BinaryDecoder()
        generic.useBinaryCodable = false
        var expected = ""
        do {
            _ = try generic.decode(EchoMessage.self, from: body)
        } catch let error as DecodingError {
            expected = "invalid request: \(error.fieldDescription)"
        }
        #expect(expected == "invalid request: field `skills[0].weight` is required")
        let wrong = MethodDescriptor<PartialEcho, EchoMessage>(service: "diagnostics.v1", method: "Echo")
        do {
            _ = try await client.call(wrong, partial)
            Issue.record("expected INVALID_ARGUMENT")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument)
            #expect(error.message == expected)
        }
    }
}
