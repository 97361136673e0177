/// A decoding failure found by the path-agnostic byte readers. The containers, which know the
/// coding path, turn it into a `DecodingError` (see `decodingError(codingPath:)`).
enum BinaryReadError: Error, @unchecked Sendable {
    /// The value has another tag than the requested type accepts.
    case typeMismatch(expected: Any.Type, tag: UInt8)
    /// The value is nil (tag 0) but a non-optional value was requested.
    case valueNotFound(expected: Any.Type)
    /// Truncated or malformed input, invalid UTF-8, or a number that does not fit the type.
    case corrupted(String)

    func decodingError(codingPath: [any CodingKey]) -> DecodingError {
        switch self {
        case .typeMismatch(let expected, let tag):
            return .typeMismatch(expected, .init(
                codingPath: codingPath,
                debugDescription: "Expected to decode \(expected) but found \(BinaryFormat.name(ofTag: tag)) instead."))
        case .valueNotFound(let expected):
            return .valueNotFound(expected, .init(
                codingPath: codingPath,
                debugDescription: "Expected \(expected) value but found nil instead."))
        case .corrupted(let message):
            return .dataCorrupted(.init(codingPath: codingPath, debugDescription: message))
        }
    }
}
