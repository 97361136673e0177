import Foundation
import HTTP

/// The web panel's public routes: `GET /` (the page) and `GET /panel/{file}` (its assets).
///
/// The panel holds no data of its own: it calls the JSON API with the token the user signed in with.
public struct PanelRoutes: Sendable {
    let assets: PanelAssets

    public init(assets: PanelAssets) { self.assets = assets }

    /// Headers every panel response carries: a strict Content-Security-Policy (scripts and styles only
    /// from the gateway itself, no framing), no MIME sniffing, no referrer.
    public static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]

    /// Whether `path` belongs to the panel.
    /// The panel's routes as `METHOD pattern`, for the OpenAPI document's tests.
    static let routeList = ["GET /", "GET /panel/{file}"]

    public static func matches(_ path: String) -> Bool { path == "/" || path.hasPrefix("/panel/") }

    /// Answers a request for `/` or `/panel/...`; the route pattern is returned for metrics.
    public func handle(_ request: HTTPRequest) -> (String, HTTPResponse) {
        let route = request.path == "/" ? "/" : "/panel/{file}"
        guard request.method == "GET" else {
            var response = HTTPResponse.error(405, code: "METHOD_NOT_ALLOWED", message: "only GET is allowed here")
            response.headers.append(("Allow", "GET"))
            return (route, response)
        }
        let name = request.path == "/" ? "index.html" : String(request.path.dropFirst("/panel/".count))
        guard let asset = assets.asset(name) else {
            if assets.directory == nil {
                return (route, .error(503, code: "UNAVAILABLE", message: "the web panel's files are not installed next to the gateway"))
            }
            return (route, .error(404, code: "NOT_FOUND", message: "no such panel file"))
        }
        var headers = Self.securityHeaders
        headers.append(("ETag", asset.etag))
        // Files are not fingerprinted: revalidate every time (cheap with the ETag).
        headers.append(("Cache-Control", "no-cache"))
        if Self.matches(etag: asset.etag, request.header("if-none-match")) {
            return (route, HTTPResponse(status: 304, headers: headers))
        }
        headers.insert(("Content-Type", asset.contentType), at: 0)
        return (route, HTTPResponse(status: 200, headers: headers, body: asset.body))
    }

    /// Whether an `If-None-Match` header names `etag` (or is `*`).
    static func matches(etag: String, _ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == etag || trimmed == "W/" + etag
        }
    }
}
