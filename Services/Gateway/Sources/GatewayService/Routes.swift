import Contracts
import HTTP
import Foundation
import Observability
import Posix
import RPC
import Synchronization

/// Maps HTTP requests to handlers.
final class Routes: Sendable {
    private let api: API
    private let backends: [(ServiceKind, RPCClient)]
    private let metrics: MetricsRegistry
    private let logger: Logger
    private let trustedProxies: ClientAddress.TrustedProxies
    private let draining = Mutex(false)
    private let panel: PanelRoutes
    private let webhook: JiraWebhook?
    private struct RequestSeries: Hashable, Sendable {
        let route: String
        let method: String
        let status: Int
    }
    private let latency: SeriesCache<RequestSeries, Histogram>
    private let schemes: SeriesCache<String, Counter>

    init(api: API, backends: [(ServiceKind, RPCClient)], metrics: MetricsRegistry, logger: Logger, trustedProxies: [String] = [],
         webhook: JiraWebhook? = nil, panel: PanelAssets = .bundled()) {
        self.api = api
        self.webhook = webhook
        self.backends = backends
        self.metrics = metrics
        latency = SeriesCache { key in
            metrics.histogram("smart_ticket_http_request_seconds", help: "HTTP request latency by route and status.",
                              labels: ["route": key.route, "method": key.method, "status": String(key.status)])
        }
        schemes = SeriesCache { scheme in
            metrics.counter("smart_ticket_http_requests_by_scheme_total",
                            help: "HTTP requests by the scheme the client used (X-Forwarded-Proto from trusted proxies).",
                            labels: ["scheme": scheme])
        }
        self.logger = logger
        self.trustedProxies = ClientAddress.TrustedProxies(trustedProxies)
        self.panel = PanelRoutes(assets: panel)
        if panel.directory == nil { logger.warning("web panel files not found next to the executable; / answers 503") }
    }

    /// Every route as `METHOD pattern`: the fixed ones, then the API's.
    var routeList: [String] { Routes.fixedRoutes + ["POST \(JiraWebhook.path)"] + PanelRoutes.routeList + api.routeList }
    static let fixedRoutes = fixedPaths.map { "GET \($0)" }
    /// The paths only answered to GET (and HEAD).
    private static let fixedPaths = ["/livez", "/readyz", "/metrics", "/api/v1/openapi.json"]

    func beginDraining() { draining.withLock { $0 = true } }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = Monotonic.nanoseconds()
        // From here on `peer` is the client: the forwarded one when a trusted proxy says so.
        let client = ClientAddress.resolve(request, trusted: trustedProxies)
        var request = request
        request.peer = client.address
        var (route, response) = await route(request)
        // HEAD is GET without the body (a body here would be read as the next response on a kept-alive connection).
        if request.method == "HEAD" { response.body = [] }
        let seconds = Double(Monotonic.nanoseconds() - started) / 1e9
        latency[RequestSeries(route: route, method: request.method, status: response.status)].observe(seconds)
        schemes[client.scheme].increment()
        logger.debug("request", ["route": .string(route), "method": .string(request.method), "status": .int(response.status),
                                 "client": .string(client.address), "scheme": .string(client.scheme), "seconds": .double(seconds)])
        return response
    }

    private func route(_ request: HTTPRequest) async -> (String, HTTPResponse) {
        switch (request.method == "HEAD" ? "GET" : request.method, request.path) {
        case ("GET", "/livez"):
            return ("/livez", .json(200, #"{"status":"ok"}"#))
        case ("GET", "/readyz"):
            return ("/readyz", await readiness())
        case ("GET", "/api/v1/openapi.json"):
            return ("/api/v1/openapi.json", HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: OpenAPIDocument.bytes))
        case ("GET", "/metrics"):
            return ("/metrics", HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: Array(metrics.render().utf8)))
        case (_, let path) where Routes.fixedPaths.contains(path):
            var response = APIError.methodNotAllowed.response
            response.headers.append(("Allow", "GET, HEAD"))
            return ("unmatched", response)
        case ("POST", JiraWebhook.path) where webhook != nil:
            return (JiraWebhook.path, await webhook!.handle(request))
        case (_, JiraWebhook.path) where webhook != nil:
            var response = APIError.methodNotAllowed.response
            response.headers.append(("Allow", "POST"))
            return ("unmatched", response)
        case (_, let path) where path.hasPrefix("/api/v1/"):
            return await api.handle(request)
        case (_, let path) where PanelRoutes.matches(path):
            return panel.handle(request)
        default:
            return ("unmatched", .error(404, code: "NOT_FOUND", message: "no route for \(request.method) \(request.path.prefix(100))"))
        }
    }

    private func readiness() async -> HTTPResponse {
        if draining.withLock({ $0 }) { return .json(503, #"{"status":"draining"}"#) }
        var down: [String] = []
        for (kind, client) in backends {
            let health = try? await client.call(StandardMethods.health, HealthCheckRequest(), timeout: 1)
            if health?.status != .serving { down.append(kind.rawValue) }
        }
        if down.isEmpty { return .json(200, #"{"status":"ready"}"#) }
        let list = down.map { "\"\($0)\"" }.joined(separator: ",")
        return .json(503, #"{"status":"unavailable","down":[\#(list)]}"#)
    }
}
