import Contracts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import Testing

/// The OpenAPI document against the running gateway: served without a token, other methods are 405
/// with `Allow`, and schemathesis (seeded, a few examples per operation) finds no answer that breaks it.
@Suite(.serialized) struct OpenAPIIntegrationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func servedDocumentAndMethodsNotAllowed() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let document = try #require(api.validator?.document)
        #expect(document["openapi"] as? String == "3.0.3")
        #expect((document["paths"] as? [String: Any])?.count ?? 0 >= 25)
        for path in ["/livez", "/readyz", "/metrics"] {
            #expect(try await api.call("GET", path, token: nil).status == 200, "\(path)")
        }
        let base = try #require(system.url)
        for (method, path, allow) in [("DELETE", "/api/v1/tickets/ZK-1", "GET, HEAD, PATCH"), ("POST", "/livez", "GET, HEAD"),
                                      ("PUT", "/api/v1/openapi.json", "GET, HEAD")] {
            var request = URLRequest(url: URL(string: base + path.dropFirst())!)
            request.httpMethod = method
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            #expect(http.statusCode == 405, "\(method) \(path)")
            #expect(http.value(forHTTPHeaderField: "Allow") == allow, "\(method) \(path)")
            #expect(String(decoding: data, as: UTF8.self).contains("METHOD_NOT_ALLOWED"))
        }
        // HEAD answers like GET, without a body, and the connection stays usable.
        for path in ["/livez", "/api/v1/openapi.json"] {
            var head = URLRequest(url: URL(string: base + path.dropFirst())!)
            head.httpMethod = "HEAD"
            let (data, response) = try await URLSession.shared.data(for: head)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "HEAD \(path)")
            #expect(data.isEmpty)
        }
        #expect(try await api.call("GET", "/livez", token: nil).status == 200)
        #expect(await system.stop() == 0)
    }

    @Test func schemathesisFindsNothing() async throws {
        let result = try await ProcessRunner.run("/usr/bin/env", ["bash", "\(Self.root)/scripts/schemathesis", "--max-examples", "5"],
                                                 environment: ["BIN_DIR": Executables.directory])
        #expect(result.status == 0, "\(result.stdout.suffix(6000))\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("passed"))
    }
}
