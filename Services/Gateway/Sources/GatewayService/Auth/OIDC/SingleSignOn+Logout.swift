import Contracts
import Crypto
import Foundation
import HTTP
import Observability
import RPC

/// Sign-out started at the identity provider: OpenID Connect Back-Channel Logout 1.0. When a person signs out there
/// (or an administrator ends their sessions there), the provider posts a signed logout token to
/// `POST /auth/oidc/backchannel-logout` (registered at the provider as the client's back-channel logout URI), and every
/// SmartTicket session of that subject (or of that provider session, `sid`) is revoked in storage: refused on its next
/// request in every gateway and pod.
extension SingleSignOn {
    static let backchannelLogoutPath = "/auth/oidc/backchannel-logout"

    /// The registered name of a session started from provider session `sid` (none: "single sign-on"), by which a logout
    /// token naming only `sid` finds it.
    static func sessionName(providerSession sid: String?) -> String {
        guard let sid, !sid.isEmpty, sid.utf8.count <= 150 else { return "single sign-on" }
        return "single sign-on (provider session \(sid))"
    }

    /// `POST /auth/oidc/backchannel-logout` with the form field `logout_token`: 200 once every session it names is revoked,
    /// 400 for a token that does not verify (the reason only in the log), 503 when storage cannot be told.
    func backchannelLogout(_ request: HTTPRequest) async -> HTTPResponse {
        let form = RequestContext.queryItems(String(decoding: request.body, as: UTF8.self))
        guard let token = form["logout_token"], !token.isEmpty else {
            return .error(400, code: "INVALID_REQUEST", message: "the body must be a form with logout_token (OpenID Connect Back-Channel Logout)")
        }
        let named: (subject: String?, sessionID: String?)
        do {
            named = try await verifier.verifyLogout(token, keys: provider.keys)
        } catch {
            logger.notice("sso back-channel logout refused", ["reason": .string(error.reason), "client": .string(request.peer ?? "")])
            return .error(400, code: "INVALID_REQUEST", message: "the logout token was refused; the reason is in SmartTicket's log")
        }
        let metadata = Metadata(tenant: settings.tenant, principal: "oidc")
        do {
            let sessions = try await storage.call(StorageContract.listTokens,
                                                  .init(owner: named.subject, kinds: [StorageContract.TokenKind.session.rawValue]), metadata: metadata)
            let name = named.sessionID.map { Self.sessionName(providerSession: $0) }
            var ended = 0
            for record in sessions.items where record.revokedAt == nil && (name == nil || record.name == name) {
                _ = try await storage.call(StorageContract.revokeToken, .init(id: record.id, by: "oidc-logout"), metadata: metadata)
                ended += 1
            }
            logger.info("sso back-channel logout", ["sessions": .int(ended), "bySession": .bool(named.sessionID != nil)])
            return HTTPResponse(status: 200, headers: [("Cache-Control", "no-store")], body: [])
        } catch {
            logger.warning("sso back-channel logout failed", ["error": .string(String(describing: type(of: error)))])
            return .error(503, code: "UNAVAILABLE", message: "the sessions could not be ended now; send the logout token again")
        }
    }
}
