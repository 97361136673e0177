/// Why a single sign-on step failed: the reason goes to the log (never a token, code or e-mail), the person gets a page
/// saying what to do.
enum OIDCFailure: Error, Equatable, Sendable {
    /// The identity provider could not be reached or answered something unusable (502).
    case provider(String)
    /// What came back was refused: a state, code or ID token check failed (400).
    case refused(String)

    var reason: String {
        switch self {
        case .provider(let reason), .refused(let reason): return reason
        }
    }
}
