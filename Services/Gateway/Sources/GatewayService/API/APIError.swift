import Contracts
import HTTP
import RPC

/// An error answered as `{"error": {"code", "message"}}` with its HTTP status.
public struct APIError: Error, Equatable, Sendable {
    public var status: Int
    public var code: String
    public var message: String

    public init(_ status: Int, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func badRequest(_ message: String) -> APIError { APIError(400, "INVALID_ARGUMENT", message) }
    public static let unauthenticated = APIError(401, "UNAUTHENTICATED", "a valid bearer token is required")
    public static func forbidden(_ message: String = "your role does not allow this") -> APIError { APIError(403, "PERMISSION_DENIED", message) }
    public static func notFound(_ message: String = "not found") -> APIError { APIError(404, "NOT_FOUND", message) }
    public static let methodNotAllowed = APIError(405, "METHOD_NOT_ALLOWED", "method not allowed on this route")
    public static func unavailable(_ message: String) -> APIError { APIError(503, "UNAVAILABLE", message) }

    /// The HTTP answer for an error from a backend call; internal details never reach the client.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as RPCError:
            switch error.code {
            case .invalidArgument, .outOfRange: return APIError(400, "INVALID_ARGUMENT", error.message)
            case .notFound: return APIError(404, "NOT_FOUND", error.message)
            case .alreadyExists: return APIError(409, "ALREADY_EXISTS", error.message)
            case .failedPrecondition: return APIError(409, "FAILED_PRECONDITION", error.message)
            case .permissionDenied: return .forbidden(error.message)
            case .unauthenticated: return .unauthenticated
            case .resourceExhausted: return APIError(413, "RESOURCE_EXHAUSTED", error.message)
            case .unavailable where error == StorageContract.databaseUnavailable:
                return .unavailable("the database is unavailable; try again shortly (operators: /readyz says when it is back)")
            case .unavailable, .deadlineExceeded, .cancelled: return .unavailable("a backend service is unavailable; try again")
            default: return APIError(500, "INTERNAL", "internal error")
            }
        case is DecodingError: return .badRequest("malformed JSON body")
        default: return APIError(500, "INTERNAL", "internal error")
        }
    }

    /// The response.
    public var response: HTTPResponse { .error(status, code: code, message: message) }
}
