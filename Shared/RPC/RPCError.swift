/// An RPC failure: a gRPC status code and a message safe to show to the caller.
///
/// Internal details (file paths, SQL, stack traces) stay in the server's log; only `message` crosses
/// the wire.
public struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A gRPC status code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: UInt8, Sendable, CaseIterable {
            case ok = 0, cancelled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists,
                 permissionDenied, resourceExhausted, failedPrecondition, aborted, outOfRange,
                 unimplemented, internalError, unavailable, dataLoss, unauthenticated
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The numeric gRPC code.
        public var rawValue: UInt8 { wrapped.rawValue }

        /// The code for a numeric value; unknown numbers become ``unknown``.
        public init(rawValue: UInt8) { self.wrapped = Wrapped(rawValue: rawValue) ?? .unknown }

        public static let ok = Code(.ok)
        public static let cancelled = Code(.cancelled)
        public static let unknown = Code(.unknown)
        public static let invalidArgument = Code(.invalidArgument)
        public static let deadlineExceeded = Code(.deadlineExceeded)
        public static let notFound = Code(.notFound)
        public static let alreadyExists = Code(.alreadyExists)
        public static let permissionDenied = Code(.permissionDenied)
        public static let resourceExhausted = Code(.resourceExhausted)
        public static let failedPrecondition = Code(.failedPrecondition)
        public static let aborted = Code(.aborted)
        public static let outOfRange = Code(.outOfRange)
        public static let unimplemented = Code(.unimplemented)
        public static let internalError = Code(.internalError)
        public static let unavailable = Code(.unavailable)
        public static let dataLoss = Code(.dataLoss)
        public static let unauthenticated = Code(.unauthenticated)

        /// The canonical upper-case name, for example `INVALID_ARGUMENT`.
        public var description: String {
            switch wrapped {
            case .ok: return "OK"
            case .cancelled: return "CANCELLED"
            case .unknown: return "UNKNOWN"
            case .invalidArgument: return "INVALID_ARGUMENT"
            case .deadlineExceeded: return "DEADLINE_EXCEEDED"
            case .notFound: return "NOT_FOUND"
            case .alreadyExists: return "ALREADY_EXISTS"
            case .permissionDenied: return "PERMISSION_DENIED"
            case .resourceExhausted: return "RESOURCE_EXHAUSTED"
            case .failedPrecondition: return "FAILED_PRECONDITION"
            case .aborted: return "ABORTED"
            case .outOfRange: return "OUT_OF_RANGE"
            case .unimplemented: return "UNIMPLEMENTED"
            case .internalError: return "INTERNAL"
            case .unavailable: return "UNAVAILABLE"
            case .dataLoss: return "DATA_LOSS"
            case .unauthenticated: return "UNAUTHENTICATED"
            }
        }
    }

    /// The status code.
    public var code: Code
    /// A message safe to show to the caller.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// UNAVAILABLE because the connection broke while the call was in flight: the handler may have run,
    /// so the call is not retried.
    public static let connectionLost = RPCError(.unavailable, "connection lost during the call")

    /// Whether this is ``connectionLost``.
    public var isConnectionLoss: Bool { self == RPCError.connectionLost }

    /// UNAVAILABLE because the server refused the call without running it (it is draining before it stops): the
    /// call is safe to send to another instance, or to this one once it is back.
    public static let draining = RPCError(.unavailable, "server is draining")

    /// Whether this is ``draining``: the one UNAVAILABLE a client retries. Any other UNAVAILABLE a handler answers (a
    /// service whose database is away) goes back to the caller at once, so that requests fail fast instead of
    /// waiting out their deadline.
    public var isRefusedUnrun: Bool { self == RPCError.draining }

    public static func invalidArgument(_ message: String) -> RPCError { RPCError(.invalidArgument, message) }
    public static func notFound(_ message: String) -> RPCError { RPCError(.notFound, message) }
    public static func unavailable(_ message: String) -> RPCError { RPCError(.unavailable, message) }
    public static func internalError(_ message: String = "internal error") -> RPCError { RPCError(.internalError, message) }
}
