import Foundation
import Contracts
import Observability
import RPC
import Testing
import TestSupport
@testable import GatewayService

@Suite struct OpenAPIDocumentTests {
    static func routes() -> Routes {
        let client = { (name: String) in RPCClient(service: name, socketPaths: ["/nonexistent/\(name).sock"]) }
        let logger = Logger(label: "test", sink: .discard)
        let api = API(storage: StorageClient(client("storage")), skills: SkillsClient(client("skills")), scoring: ScoringClient(client("scoring")),
                      verifier: JWTVerifier(hmac: .init(secret: Array("0123456789abcdef0123456789abcdef".utf8))), logger: logger)
        return Routes(api: api, backends: [], metrics: MetricsRegistry(), logger: logger)
    }

    static var document: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes))) as? [String: Any] ?? [:]
    }

    @Test func everyRouteIsDocumentedAndNothingElse() {
        let served = Set(Self.routes().routeList)
        var documented = Set<String>()
        for (path, item) in Self.document["paths"] as? [String: [String: Any]] ?? [:] {
            for method in item.keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        #expect(documented.count == OpenAPIDocument.routeList.count, "one operation per route")
        #expect(served.subtracting(documented).isEmpty, "routes missing from the document: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }

    @Test func operationsDescribeParametersBodiesAnswersAndErrors() throws {
        let document = Self.document
        #expect(document["openapi"] as? String == "3.0.3")
        let validator = SchemaValidator(document: document)
        var operationIDs = Set<String>()
        for (path, item) in try #require(document["paths"] as? [String: [String: [String: Any]]]) {
            for (method, operation) in item {
                let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                #expect(responses.keys.contains { $0.hasPrefix("2") || $0.hasPrefix("3") }, "\(method) \(path) has a success answer (or a redirect)")
                let id = try #require(operation["operationId"] as? String)
                #expect(operationIDs.insert(id).inserted, "operationId \(id) is unique")
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                for segment in path.split(separator: "/") where segment.hasPrefix("{") {
                    #expect(parameters.contains { $0["name"] as? String == String(segment.dropFirst().dropLast()) && $0["in"] as? String == "path" },
                            "\(method) \(path) declares \(segment)")
                }
                let secured = (operation["security"] as? [Any])?.isEmpty != true
                if secured {
                    #expect(validator.responseSchema(method: method, path: path, status: 401) != nil, "\(method) \(path) documents 401")
                    #expect(validator.responseSchema(method: method, path: path, status: 403) != nil, "\(method) \(path) documents 403")
                }
                if operation["requestBody"] != nil {
                    #expect(responses["400"] != nil, "\(method) \(path) documents 400 for a bad body")
                }
            }
        }
        // Every $ref resolves.
        let text = String(decoding: OpenAPIDocument.bytes, as: UTF8.self)
        let refs = text.matches(of: /"\$ref":"([^"]+)"/).map { String($0.1) }
        #expect(!refs.isEmpty)
        for ref in Set(refs) { #expect(validator.resolve(ref) != nil, "\(ref) resolves") }
    }

    @Test func theErrorShapeAndSchemasValidateWhatTheyShould() throws {
        let validator = SchemaValidator(document: Self.document)
        let error = try #require(validator.responseSchema(method: "GET", path: "/api/v1/tickets/{key}", status: 404))
        #expect(validator.validate(["error": ["code": "NOT_FOUND", "message": "ticket not found"]], against: error).isEmpty)
        #expect(!validator.validate(["error": ["code": "NOT_FOUND"]], against: error).isEmpty, "message is required")
        let ticket = try #require(validator.responseSchema(method: "GET", path: "/api/v1/tickets/{key}", status: 200))
        var body: [String: Any] = ["key": "ZK-1", "project": "ZK", "title": "t", "description": "", "components": [String](), "labels": [String](),
                                   "status": "todo", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"]
        #expect(validator.validate(body, against: ticket).isEmpty)
        body["status"] = "closed"
        #expect(validator.validate(body, against: ticket) == ["$.status: closed is not one of [\"todo\", \"in_progress\", \"done\"]"])
        body["status"] = "done"
        body["surprise"] = 1
        #expect(validator.validate(body, against: ticket) == ["$.surprise: not in the schema"], "undocumented fields are caught")
        let booleanCheck = validator.validate(["autoAssign": 1], against: ["type": "object", "properties": ["autoAssign": ["type": "boolean"]]])
        #expect(booleanCheck == ["$.autoAssign: expected a boolean"])
    }
}
