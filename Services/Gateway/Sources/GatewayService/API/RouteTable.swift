import Foundation
import HTTP

/// Routes with `{param}` path segments, matched in registration order.
struct RouteTable<Handler: Sendable>: Sendable {
    struct Route: Sendable {
        let method: String
        let pattern: String
        let segments: [String]
        /// Per segment, the parameter's name for `{name}` segments, nil for literal ones.
        let parameters: [String?]
        let handler: Handler
    }

    private(set) var routes: [Route] = []

    mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        let segments = Self.split(pattern)
        let parameters = segments.map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, parameters: parameters, handler: handler))
    }

    /// The handler and path parameters for `method` and `path`; `.methodNotAllowed` when the path
    /// matches with another method; a 400 naming the parameter when a route of this method matches
    /// but a parameter is not a usable id (see ``bind(_:_:)``).
    func match(method: String, path: String) -> Result<(Route, [String: String]), APIError> {
        let segments = Self.split(path)
        var pathMatched = false
        for route in routes {
            let params: [String: String]
            switch Self.bind(route, segments) {
            case .none: continue
            case .failure(let error):
                if route.method == method || (method == "HEAD" && route.method == "GET") { return .failure(error) }
                pathMatched = true
                continue
            case .success(let bound): params = bound
            }
            if route.method == method || (method == "HEAD" && route.method == "GET") { return .success((route, params)) }
            pathMatched = true
        }
        return .failure(pathMatched ? .methodNotAllowed : .notFound("no route for \(method) \(path.prefix(200))"))
    }

    /// The methods registered for `path` (for the `Allow` header of a 405).
    func allowedMethods(path: String) -> [String] {
        let segments = Self.split(path)
        var methods = Set<String>()
        for route in routes where Self.bind(route, segments) != nil { methods.insert(route.method) }
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The route's parameters from `path`: nil unless every literal segment matches and every
    /// parameter is non-empty; a 400 naming the parameter when one is not valid percent-encoded
    /// UTF-8, holds a control character (NUL included: `WEB-1%00x` is not `WEB-1`), or is `.` or
    /// `..` (path steps, never ids). Literal segments are compared first, so routes that do not
    /// match cost no decoding.
    private static func bind(_ route: Route, _ path: [String]) -> Result<[String: String], APIError>? {
        guard route.segments.count == path.count else { return nil }
        for index in path.indices where route.parameters[index] == nil && route.segments[index] != path[index] { return nil }
        var params: [String: String] = [:]
        for index in path.indices {
            guard let name = route.parameters[index] else { continue }
            let segment = path[index]
            // Most segments (ticket keys, person ids) have no escapes: no Foundation decoding for them.
            guard let decoded = segment.utf8.contains(UInt8(ascii: "%")) ? segment.removingPercentEncoding : segment else {
                return .failure(.badRequest("path parameter `\(name)` is not valid percent-encoded UTF-8"))
            }
            guard !decoded.isEmpty else { return nil }
            if let problem = PathParameter.problem(decoded) {
                return .failure(.badRequest("path parameter `\(name)` \(problem)"))
            }
            params[name] = decoded
        }
        return .success(params)
    }
}

extension RouteTable where Handler == API.Endpoint {
    /// Adds a route of the API with who may call it (``RouteAccess``, checked before `run`).
    mutating func add(_ method: String, _ pattern: String, _ access: RouteAccess, _ run: @escaping API.Handler) {
        add(method, pattern, API.Endpoint(access: access, run: run))
    }
}
