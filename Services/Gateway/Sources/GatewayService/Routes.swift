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
    private let draining = Mutex(false)
    private let webhook: JiraWebhook?

    init(api: API, backends: [(ServiceKind, RPCClient)], metrics: MetricsRegistry, logger: Logger, webhook: JiraWebhook? = nil) {
        self.api = api
        self.webhook = webhook
        self.backends = backends
        self.metrics = metrics
        self.logger = logger
    }

    func beginDraining() { draining.withLock { $0 = true } }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = Monotonic.nanoseconds()
        let (route, response) = await route(request)
        metrics.histogram("smart_ticket_http_request_seconds", help: "HTTP request latency by route and status.",
                          labels: ["route": route, "method": request.method, "status": String(response.status)])
            .observe(Double(Monotonic.nanoseconds() - started) / 1e9)
        return response
    }

    private func route(_ request: HTTPRequest) async -> (String, HTTPResponse) {
        switch (request.method, request.path) {
        case ("GET", "/livez"):
            return ("/livez", .json(200, #"{"status":"ok"}"#))
        case ("GET", "/readyz"):
            return ("/readyz", await readiness())
        case ("GET", "/metrics"):
            return ("/metrics", HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: Array(metrics.render().utf8)))
        case ("POST", JiraWebhook.path) where webhook != nil:
            return (JiraWebhook.path, await webhook!.handle(request))
        case (_, let path) where path.hasPrefix("/api/v1/"):
            return await api.handle(request)
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
