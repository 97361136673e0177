import Foundation

/// Foundation's JSON as a message codec: readable, and the baseline the binary codec is measured against.
public struct JSONMessageCodec: MessageCodec {
    public var name: String { "json" }

    public init() {}

    public func encode<T: Encodable>(_ value: T, appendingTo buffer: inout [UInt8]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        buffer.append(contentsOf: try encoder.encode(value))
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(bytes))
    }
}
