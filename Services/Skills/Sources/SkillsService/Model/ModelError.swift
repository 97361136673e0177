/// Why the language model gave no usable answer; the local detector's result is used instead.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    case notConfigured
    case circuitOpen
    case timedOut
    case rateLimited
    case quotaExceeded
    case serverError(status: Int)
    case rejected(status: Int)
    case refused
    case malformedOutput
    case transport

    /// A short code for logs and the `source` note in replies.
    public var description: String {
        switch self {
        case .notConfigured: return "not_configured"
        case .circuitOpen: return "circuit_open"
        case .timedOut: return "timeout"
        case .rateLimited: return "rate_limited"
        case .quotaExceeded: return "insufficient_quota"
        case .serverError(let status): return "server_error_\(status)"
        case .rejected(let status): return "rejected_\(status)"
        case .refused: return "refused"
        case .malformedOutput: return "malformed_output"
        case .transport: return "transport"
        }
    }
}
