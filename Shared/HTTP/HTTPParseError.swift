/// Why a request could not be parsed; each maps to the status sent before closing the connection.
public struct HTTPParseError: Error, Equatable, Sendable {
    public let status: Int
    public let message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}
