import Contracts
import Crypto
import Foundation
import HTTP
import Observability
import Posix
import RPC
import Workflows

/// The versioned JSON API under `/api/v1`: authentication, role checks, and the routes.
final class API: Sendable {
    typealias Handler = @Sendable (API, RequestContext) async throws -> HTTPResponse

    /// A route's handler and who may call it.
    struct Endpoint: Sendable {
        let access: RouteAccess
        let run: Handler
    }

    let storage: StorageClient
    let skills: SkillsClient
    let scoring: ScoringClient
    /// The assignment workflow the routes call (as do the Jira webhook and sync).
    let assignments: Assignments
    let verifier: JWTVerifier
    /// Tokens verified recently (verifying costs two JSON parses and a signature check per request).
    let tokens: VerifiedTokens
    /// Registered, revocable tokens: the personal tokens' routes, and the revocation check of every request.
    let tokenRegistry: TokenRegistry
    let authorizer: Authorizer
    let logger: Logger
    /// Jira sync and write-back (nil: tenants' Jira connections are ignored).
    let jira: JiraSyncEngine?
    /// The API's routes, in registration order (``Routes`` serves them from its table, with the open ones).
    let routes: RouteTable<Endpoint>

    /// What the gateway counts (also read by the import route).
    let metrics: GatewayMetrics
    /// Single sign-on sessions, whose cookie authenticates like a bearer token (nil: no single sign-on, cookies ignored).
    let sessions: Sessions?

    init(storage: StorageClient, skills: SkillsClient, scoring: ScoringClient, verifier: JWTVerifier, logger: Logger, jira: JiraSyncEngine? = nil,
         metrics: GatewayMetrics = GatewayMetrics(), sessions: Sessions? = nil) {
        self.metrics = metrics
        self.sessions = sessions
        self.jira = jira
        self.storage = storage
        self.skills = skills
        self.scoring = scoring
        self.assignments = Assignments(storage: storage, skills: skills, scoring: scoring, jira: jira, logger: logger, metrics: metrics)
        self.verifier = verifier
        self.tokens = VerifiedTokens(verifier: verifier)
        self.tokenRegistry = TokenRegistry(storage: storage, secret: verifier.hmac?.secret, maxLifetime: verifier.maxLifetime)
        self.authorizer = Authorizer(storage: storage)
        self.logger = logger
        var routes = RouteTable<Endpoint>()
        API.registerProjectRoutes(&routes)
        API.registerTicketRoutes(&routes)
        API.registerRecommendationRoutes(&routes)
        API.registerMetricsRoutes(&routes)
        API.registerSkillRoutes(&routes)
        API.registerPeopleRoutes(&routes)
        API.registerPersonSkillsRoute(&routes)
        API.registerPersonExportRoute(&routes)
        API.registerPersonErasureRoute(&routes)
        API.registerTenantRoutes(&routes)
        API.registerRebalanceRoutes(&routes)
        API.registerWhatIfRoutes(&routes)
        API.registerQualityRoutes(&routes)
        API.registerAuditRoutes(&routes)
        API.registerRoleListRoute(&routes)
        API.registerTokenRoutes(&routes)
        self.routes = routes
    }

    /// Scoring and skills, every instance of each: what they learn from the tenant's history.
    var learning: TenantLearning { assignments.learning }

    /// Every route as `METHOD pattern`, for the OpenAPI document's tests.
    var routeList: [String] { routes.routes.map { "\($0.method) \($0.pattern)" } }

    /// Answers a request the router matched to `endpoint` (of the route `pattern`, with its path `params`): checks the
    /// query, authenticates the bearer token, checks the route's access, then runs it.
    func handle(_ request: HTTPRequest, endpoint: Endpoint, params: [String: String], pattern: String) async -> HTTPResponse {
        // Query parameters are ids, numbers, dates and cursors: none has a control character (NUL included).
        // The parser refuses raw control bytes in the target, so only escaped ones need decoding to find.
        if request.query?.utf8.contains(UInt8(ascii: "%")) == true,
           let name = RequestContext.queryItems(request.query).filter({ PathParameter.hasControlCharacter($0.value) }).keys.sorted().first {
            return APIError.badRequest("query parameter `\(name)` \(PathParameter.controlCharacters)").response
        }
        do {
            let traceID = request.header("x-request-id").flatMap { $0.count <= 64 ? $0 : nil } ?? Digest.randomIdentifier()
            let (principal, session) = try await authenticate(request, traceID: traceID)
            // A session cookie is sent by the browser whoever made the page: state changes need the session's CSRF token.
            if let session, let sessions, !sessions.allows(request, session) { return AuthRoutes.csrfRefused }
            // Whether the token was revoked is asked of storage on every request (so a revocation made through any
            // gateway of any pod holds at once). Meanwhile the ticket a ticket route starts from is read: a read only,
            // whose answer nobody sees unless the token is live; nothing is done for the caller before the check answers.
            let ticket = API.readsTicketFirst.contains(pattern) ? prefetchTicket(params["key"] ?? "", principal, traceID) : nil
            if try await tokenRegistry.isRevoked(principal, traceID: traceID) {
                ticket?.cancel()
                logger.notice("token refused", ["reason": .string(session == nil ? "revoked" : "revoked session"), "client": .string(request.peer ?? "")])
                throw APIError.unauthenticated
            }
            try await authorize(endpoint.access, principal, params)
            let context = RequestContext(request: request, params: params, principal: principal, traceID: traceID, prefetchedTicket: ticket)
            var response = try await endpoint.run(self, context)
            if let session, let sessions, let renewed = sessions.renewal(of: session) {
                response.headers.append(("Set-Cookie", Sessions.cookie(renewed, maxAge: sessions.lifetime, secure: request.scheme == "https")))
            }
            return response
        } catch {
            let apiError = APIError.from(error)
            if apiError.status >= 500 {
                logger.error("request failed", ["route": .string(pattern), "status": .int(apiError.status),
                                                "error": .string(String(describing: type(of: error)))])
            }
            return apiError.response
        }
    }

    /// Refuses the caller (403) unless `access` lets them in; `.inHandler` routes are left to their handler.
    private func authorize(_ access: RouteAccess, _ principal: Principal, _ params: [String: String]) async throws {
        switch access {
        case .anyRole:
            guard !(try await authorizer.roles(of: principal)).isEmpty else { throw APIError.forbidden() }
        case .project(let role, let parameter):
            try await authorizer.require(role, in: params[parameter] ?? "", for: principal)
        case .tenantAdmin(let action):
            guard try await authorizer.roles(of: principal)["*"] == .admin else {
                throw APIError.forbidden("\(action) needs the admin role for every project (`*`)")
            }
        case .inHandler:
            break
        }
    }

    /// The caller: the bearer token of the `Authorization` header, or else the single sign-on session of the cookie (returned
    /// too: its requests need the CSRF check and may renew it). A token's signature and claims are verified (or remembered
    /// from a recent verification); whether its id was revoked is checked by ``handle(_:endpoint:params:pattern:)`` on
    /// every request. Every refusal is the same 401; the log says why. When storage cannot answer the revocation check, the
    /// request fails (503) rather than let a token through unchecked.
    private func authenticate(_ request: HTTPRequest, traceID: String) async throws -> (Principal, Sessions.Session?) {
        guard let token = API.bearerToken(request.header("authorization")) else {
            guard let sessions, let session = sessions.session(request, tokens: tokens) else { throw APIError.unauthenticated }
            return (session.principal, session)
        }
        let principal: Principal
        do {
            principal = try tokens.principal(token)
        } catch {
            if case .invalidToken(let reason) = error { logger.notice("token refused", ["reason": .string(reason), "client": .string(request.peer ?? "")]) }
            throw APIError.unauthenticated
        }
        // A session's token sent as a bearer token is still the session: refused once it ended (or without single sign-on).
        if principal.scheme == "session" {
            guard let sessions, sessions.session(token: token, principal: principal) != nil else {
                logger.notice("token refused", ["reason": .string("ended or unknown session"), "client": .string(request.peer ?? "")])
                throw APIError.unauthenticated
            }
        }
        return (principal, nil)
    }

    /// Reads ticket `key` with what goes with it, in the background, for a route in ``readsTicketFirst``.
    private func prefetchTicket(_ key: String, _ principal: Principal, _ traceID: String) -> Task<StorageContract.TicketContext, any Error> {
        let assignments = self.assignments
        let metadata = Metadata(tenant: principal.tenant, principal: principal.subject, traceID: traceID)
        return Task { try await assignments.ticketContext(key, metadata) }
    }

    /// The token of an `Authorization: Bearer TOKEN` header (scheme case-insensitive, spaces and tabs
    /// around the token ignored); nil for another scheme or an empty token.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count else { return nil }
        for (byte, expected) in zip(bytes, scheme) {
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            guard lower == expected else { return nil }
        }
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = scheme.count
        var end = bytes.count
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// A JSON response.
    static func json<T: Encodable>(_ value: T, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: try JSONCoding.encode(value))
    }

    /// A 204 response.
    static var noContent: HTTPResponse { HTTPResponse(status: 204) }
}

/// `{"items": [...], "next": CURSOR or null}`.
struct ListBody<Item: Encodable>: Encodable {
    let items: [Item]
    let next: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(next, forKey: .next)   // null, not absent
    }

    private enum CodingKeys: String, CodingKey { case items, next }
}
