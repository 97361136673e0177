import Contracts
import HTTP
import Foundation
import Observability
import Posix
import RPC
import Synchronization

/// Maps HTTP requests to handlers, through one `RouteTable`: the routes that need no token (probes, metrics, the
/// OpenAPI document, the Jira webhook, which its own secret authenticates, the panel's files and the sign-in routes), then the API's,
/// which ``API/handle(_:endpoint:params:pattern:)`` authenticates and checks each route's access for.
final class Routes: Sendable {
    /// A route that needs no token.
    typealias OpenHandler = @Sendable (Routes, HTTPRequest) async -> HTTPResponse

    /// What a route leads to.
    enum Target: Sendable {
        case open(OpenHandler)
        case api(API.Endpoint)
    }

    private let api: API
    private let backends: [(ServiceKind, RPCClient)]
    private let metrics: MetricsRegistry
    private let logger: Logger
    private let trustedProxies: ClientAddress.TrustedProxies
    private let draining = Mutex(false)
    private let panel: PanelRoutes
    private let webhook: JiraWebhook?
    /// Sign-in and sessions (`/auth/...`).
    private let auth: AuthRoutes
    private struct RequestSeries: Hashable, Sendable {
        let route: String
        let method: String
        let status: Int
    }
    private let table: RouteTable<Target>
    private let latency: SeriesCache<RequestSeries, Histogram>
    private let schemes: SeriesCache<String, Counter>

    /// The launcher supervising this pod's processes, when there is one (not in Kubernetes, where the kubelet restarts
    /// containers): its restart counts are exported with the metrics.
    private let launcher: LauncherClient?

    init(api: API, backends: [(ServiceKind, RPCClient)], metrics: MetricsRegistry, logger: Logger, trustedProxies: [String] = [],
         webhook: JiraWebhook? = nil, panel: PanelAssets = .bundled(), launcher: LauncherClient? = nil, sso: SingleSignOn? = nil) {
        self.launcher = launcher
        self.auth = AuthRoutes(sso: sso, api: api)
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
        var table = Self.openRoutes(webhook: webhook != nil)
        for route in api.routes.routes { table.add(route.method, route.pattern, .api(route.handler)) }
        self.table = table
        if panel.directory == nil { logger.warning("web panel files not found next to the executable; / answers 503") }
    }

    /// Every route as `METHOD pattern`: the fixed ones, then the API's.
    var routeList: [String] {
        Routes.fixedRoutes + ["POST \(JiraWebhook.path)"] + PanelRoutes.routeList + AuthRoutes.routeList.map { "\($0.0) \($0.1)" } + api.routeList
    }
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
        request.scheme = client.scheme
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

    /// The routes that need no token.
    private static func openRoutes(webhook: Bool) -> RouteTable<Target> {
        var table = RouteTable<Target>()
        func add(_ method: String, _ pattern: String, _ handler: @escaping OpenHandler) { table.add(method, pattern, .open(handler)) }
        add("GET", "/livez") { _, _ in .json(200, #"{"status":"ok"}"#) }
        add("GET", "/readyz") { routes, _ in await routes.readiness() }
        add("GET", "/api/v1/openapi.json") { _, _ in
            HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: OpenAPIDocument.bytes)
        }
        add("GET", "/metrics") { routes, _ in
            await routes.readSupervisor()
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: Array(routes.metrics.render().utf8))
        }
        if webhook { add("POST", JiraWebhook.path) { routes, request in await routes.webhook!.handle(request) } }
        add("GET", "/") { routes, request in routes.panel.handle(request).1 }
        add("GET", "/panel/{file}") { routes, request in routes.panel.handle(request).1 }
        for (method, path) in AuthRoutes.routeList { add(method, path) { routes, request in await routes.auth.handle(request) } }
        return table
    }

    private func route(_ request: HTTPRequest) async -> (String, HTTPResponse) {
        switch table.match(method: request.method, path: request.path) {
        case .success(let (route, params)):
            switch route.handler {
            case .open(let handler): return (route.pattern, await handler(self, request))
            case .api(let endpoint): return (route.pattern, await api.handle(request, endpoint: endpoint, params: params, pattern: route.pattern))
            }
        case .failure(let error) where error != .methodNotAllowed && PanelRoutes.matches(request.path):
            // Nested or odd file names (`/panel/a/b`, `/panel/..`) are the panel's to refuse: 404, nothing outside it.
            return panel.handle(request)
        case .failure(let error):
            var response = error.response
            if error == .methodNotAllowed { response.headers.append(("Allow", table.allowedMethods(path: request.path).joined(separator: ", "))) }
            return ("unmatched", response)
        }
    }

    /// Sets each supervised process's restart count and up state from the launcher, if one answers within half a second.
    private func readSupervisor() async {
        guard let launcher, let status = try? await launcher.call(LauncherContract.status, .init(), timeout: 0.5) else { return }
        for instance in status.instances {
            let labels = ["service": instance.service.rawValue, "instance": String(instance.instance)]
            metrics.gauge("smart_ticket_child_restarts", help: "Restarts of each process the launcher supervises since it started.", labels: labels)
                .set(Double(instance.restarts))
            metrics.gauge("smart_ticket_child_up", help: "Whether each supervised process answers SERVING (1) or not (0).", labels: labels)
                .set(instance.health == "SERVING" ? 1 : 0)
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
