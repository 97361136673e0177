import Contracts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import Testing
import TestSupport

/// An HTTP client for the gateway that checks every JSON answer against the OpenAPI document the
/// gateway serves: the documented schema of that route and status, or an issue is recorded.
struct OpenAPIClient: Sendable {
    struct Reply {
        let status: Int
        let json: Any?
        let text: String
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var items: [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    }

    let base: String
    let validator: SchemaValidator?
    /// Documented path patterns, most literal segments first.
    private let patterns: [String]

    /// A client for `system`, loading the document from the gateway itself.
    static func connect(_ system: RunningSystem) async throws -> OpenAPIClient {
        let base = try #require(system.url)
        let plain = OpenAPIClient(base: base, validator: nil)
        let reply = try await plain.call("GET", "/api/v1/openapi.json", token: nil)
        #expect(reply.status == 200)
        let document = try #require(reply.json as? [String: Any])
        return OpenAPIClient(base: base, validator: SchemaValidator(document: document))
    }

    init(base: String, validator: SchemaValidator?) {
        self.base = base
        self.validator = validator
        let paths = (validator?.document["paths"] as? [String: Any])?.keys.map { $0 } ?? []
        patterns = paths.sorted { Self.literals($0) != Self.literals($1) ? Self.literals($0) > Self.literals($1) : $0 < $1 }
    }

    /// Sends `method path` with an optional bearer token and body (a String is sent as is, anything else as JSON).
    @discardableResult
    func call(_ method: String, _ path: String, token: String?, body: Any? = nil, headers: [String: String] = [:],
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path.dropFirst())!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let text = body as? String {
            request.httpBody = Data(text.utf8)
        } else if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as! HTTPURLResponse).statusCode
        let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let reply = Reply(status: status, json: json, text: String(decoding: data, as: UTF8.self))
        if let validator { check(reply, method: method, path: path, validator: validator, sourceLocation: sourceLocation) }
        return reply
    }

    /// The documented pattern a concrete path matches.
    func pattern(for path: String) -> String? {
        let segments = path.split(separator: "?")[0].split(separator: "/")
        return patterns.first { pattern in
            let parts = pattern.split(separator: "/")
            return parts.count == segments.count && zip(parts, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    private func check(_ reply: Reply, method: String, path: String, validator: SchemaValidator, sourceLocation: SourceLocation) {
        guard let pattern = pattern(for: path) else {
            Issue.record("\(method) \(path) is not in the OpenAPI document", sourceLocation: sourceLocation)
            return
        }
        let operation = ((validator.document["paths"] as? [String: Any])?[pattern] as? [String: Any])?[method.lowercased()] as? [String: Any]
        guard let responses = operation?["responses"] as? [String: Any] else {
            Issue.record("\(method) \(pattern) is not in the OpenAPI document", sourceLocation: sourceLocation)
            return
        }
        guard responses[String(reply.status)] != nil || responses["default"] != nil else {
            Issue.record("\(method) \(pattern) answered \(reply.status), which the document does not list", sourceLocation: sourceLocation)
            return
        }
        guard let schema = validator.responseSchema(method: method, path: pattern, status: reply.status) else { return }
        guard let json = reply.json else {
            Issue.record("\(method) \(path) answered \(reply.status) without JSON", sourceLocation: sourceLocation)
            return
        }
        let errors = validator.validate(json, against: schema)
        if !errors.isEmpty {
            Issue.record("\(method) \(path) \(reply.status) does not match the document: \(errors.prefix(5))", sourceLocation: sourceLocation)
        }
    }

    private static func literals(_ pattern: String) -> Int { pattern.split(separator: "/").filter { !$0.hasPrefix("{") }.count }

    /// A token from `smart-ticket token create`.
    static func token(_ system: RunningSystem, tenant: String, subject: String, role: String, project: String = "*") async throws -> String {
        let result = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "token", "create", "--data-dir", system.directory.file("data"), "--tenant", tenant, "--subject", subject,
            "--role", role, "--project", project, "--ttl", "1h"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `text` percent-encoded for one path segment.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    static let demoData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/demo/tickets.jsonl").path
}
