import Foundation
import Lifecycle

/// The OpenAPI 3 document served at `GET /api/v1/openapi.json`: every route with its parameters,
/// bodies, answers and the error shape. A test keeps its operations equal to the router's routes and
/// validates real answers against its schemas.
enum OpenAPIDocument {
    typealias JSON = Schema.JSON

    /// The document, serialized once.
    static let bytes: [UInt8] = Array((try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())


    static var document: JSON {
        var paths: JSON = [:]
        for operation in operations {
            var item = paths[operation.path] as? JSON ?? [:]
            item[operation.method.lowercased()] = operation.json
            paths[operation.path] = item
        }
        return [
            "openapi": "3.0.3",
            "info": ["title": "SmartTicket API", "version": SmartTicketVersion.current,
                     "description": "Smart ticket assignment. Every /api/v1 call needs a bearer JWT except this document; "
                        + "roles per project: viewer (read), member (recommend, assign), admin (settings, roles, imports, rebalance, purge). "
                        + "Errors are {\"error\": {\"code\", \"message\"}}. Text limits are enforced in UTF-8 bytes (maxLength here assumes ASCII); "
                        + "a PATCH or PUT body with a field the route does not take is a 400 naming it (other bodies ignore unknown fields); "
                        + "a path id with a control character (NUL included), or that is `.` or `..`, is a 400 naming the parameter. "
                        + "Every response carries X-Content-Type-Options: nosniff. "
                        + "After single sign-on (/auth/oidc/login) the session cookie smart_ticket_session authenticates instead of the bearer token; "
                        + "then every POST, PUT, PATCH and DELETE needs the header X-CSRF-Token with the csrfToken of GET /auth/session (403 CSRF without it)."],
            "servers": [["url": "/"]],
            "security": [["bearerAuth": [String]()], ["sessionCookie": [String]()]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"],
                                    "sessionCookie": ["type": "apiKey", "in": "cookie", "name": "smart_ticket_session",
                                                      "description": "A single sign-on session (see /auth/oidc/login); state changes also need X-CSRF-Token."]],
                "schemas": schemas,
                "responses": ["Error": ["description": "An error.", "content": ["application/json": ["schema": Schema.ref("Error")]]]],
            ],
        ]
    }

    /// Every `METHOD path` the document describes.
    static var routeList: [String] { operations.map { "\($0.method) \($0.path)" } }
}

/// One operation of the document.
struct OpenAPIOperation {
    enum Body {
        case json(String)
        case jsonl
        /// `application/x-www-form-urlencoded`, with the schema of its fields.
        case form(String)
    }

    let method: String
    let path: String
    let summary: String
    var query: [(name: String, schema: Schema.JSON, required: Bool, help: String)] = []
    var headerParameters: [(name: String, schema: Schema.JSON, required: Bool, help: String)] = []
    var body: Body?
    var status = 200
    /// The success body's schema name; nil for no body.
    var answer: String?
    /// Content types of the success body, comma-separated.
    var answerType = "application/json"
    var authenticated = true
    /// Error statuses besides the ones every authenticated route has (401, 403, 404, 503).
    var errors: [Int] = []
    /// Other success statuses without a body.
    var otherSuccesses: [Int] = []
    /// Other answers with their own body schema (status to schema name).
    var otherAnswers: [Int: String] = [:]
    /// Statuses answered with a readable HTML page (the sign-in routes a browser lands on) instead of the JSON error.
    var pages: [Int] = []

    var json: Schema.JSON {
        var operation: Schema.JSON = ["summary": summary, "operationId": operationID]
        var parameters: [Schema.JSON] = []
        for segment in path.split(separator: "/") where segment.hasPrefix("{") {
            let name = String(segment.dropFirst().dropLast())
            parameters.append(["name": name, "in": "path", "required": true, "schema": Schema.pathIdentifier])
        }
        for item in query {
            parameters.append(["name": item.name, "in": "query", "required": item.required, "schema": item.schema, "description": item.help])
        }
        for item in headerParameters {
            parameters.append(["name": item.name, "in": "header", "required": item.required, "schema": item.schema, "description": item.help])
        }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        switch body {
        case .json(let name):
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": Schema.ref(name)]]]
        case .jsonl:
            let lines: Schema.JSON = ["type": "string", "minLength": 1, "description": "One ticket history record per line (see docs/ticket-history.md)."]
            operation["requestBody"] = ["required": true, "content": ["application/x-ndjson": ["schema": lines], "text/plain": ["schema": lines]]]
        case .form(let name):
            operation["requestBody"] = ["required": true, "content": ["application/x-www-form-urlencoded": ["schema": Schema.ref(name)]]]
        case nil:
            break
        }
        var responses: Schema.JSON = [:]
        let success: Schema.JSON = answer.map { name in
            var content: Schema.JSON = [:]
            for type in answerType.split(separator: ",") {
                content[String(type)] = ["schema": type == "application/json" ? Schema.ref(name) : ["type": "string"]]
            }
            return ["description": "OK.", "content": content]
        } ?? ["description": "Done; no body."]
        responses[String(status)] = success
        for code in otherSuccesses { responses[String(code)] = ["description": "Done; no body."] }
        var statuses = Set(errors)
        if authenticated { statuses.formUnion([401, 403, 404, 503]) }
        if body != nil || !query.isEmpty || path.contains("{") { statuses.insert(400) }
        for code in statuses.sorted() { responses[String(code)] = ["$ref": "#/components/responses/Error"] }
        for code in pages {
            responses[String(code)] = ["description": "A page saying what went wrong and what to do next.",
                                       "content": ["text/html": ["schema": ["type": "string"]]]]
        }
        for (code, name) in otherAnswers {
            responses[String(code)] = ["description": "See the schema.", "content": ["application/json": ["schema": Schema.ref(name)]]]
        }
        operation["responses"] = responses
        if !authenticated { operation["security"] = [Schema.JSON]() }
        return operation
    }

    private var operationID: String {
        let words = path.split(separator: "/").filter { $0 != "api" && $0 != "v1" }
            .map { $0.hasPrefix("{") ? "By" + $0.dropFirst().dropLast().capitalized : $0.replacingOccurrences(of: ".", with: "_").capitalized }
        return method.lowercased() + (path.hasPrefix("/api/v1/") ? "" : "Service") + words.joined()
    }
}
