import Foundation
import HTTP

/// Routes with `{param}` path segments, matched in registration order.
struct RouteTable<Handler: Sendable>: Sendable {
    struct Route: Sendable {
        let method: String
        let pattern: String
        let segments: [String]
        let handler: Handler
    }

    private(set) var routes: [Route] = []

    mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        routes.append(Route(method: method, pattern: pattern, segments: Self.split(pattern), handler: handler))
    }

    /// The handler and path parameters for `method` and `path`; `.methodNotAllowed` when the path
    /// matches with another method.
    func match(method: String, path: String) -> Result<(Route, [String: String]), APIError> {
        let segments = Self.split(path)
        var pathMatched = false
        for route in routes {
            guard let params = Self.bind(route.segments, segments) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") { return .success((route, params)) }
            pathMatched = true
        }
        return .failure(pathMatched ? .methodNotAllowed : .notFound("no route for \(method) \(path.prefix(200))"))
    }

    /// The methods registered for `path` (for the `Allow` header of a 405).
    func allowedMethods(path: String) -> [String] {
        let segments = Self.split(path)
        var methods = Set<String>()
        for route in routes where Self.bind(route.segments, segments) != nil { methods.insert(route.method) }
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func bind(_ pattern: [String], _ path: [String]) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var params: [String: String] = [:]
        for (expected, actual) in zip(pattern, path) {
            if expected.hasPrefix("{") && expected.hasSuffix("}") {
                guard let decoded = actual.removingPercentEncoding, !decoded.isEmpty else { return nil }
                params[String(expected.dropFirst().dropLast())] = decoded
            } else if expected != actual {
                return nil
            }
        }
        return params
    }
}
