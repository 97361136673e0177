import Wire

/// The binary codec with every message through its `Codable` conformance (no `BinaryCodable` fast
/// path): the same bytes, for comparing the two paths.
struct CodableBinaryCodec: MessageCodec {
    var name: String { "binary.codable" }

    private var encoder: BinaryEncoder {
        var encoder = BinaryEncoder()
        encoder.useBinaryCodable = false
        return encoder
    }

    private var decoder: BinaryDecoder {
        var decoder = BinaryDecoder()
        decoder.useBinaryCodable = false
        return decoder
    }

    func encode<T: Encodable>(_ value: T, appendingTo buffer: inout [UInt8]) throws {
        try encoder.encode(value, appendingTo: &buffer)
    }

    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decoder.decode(type, from: bytes)
    }

    func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try decoder.decode(type, from: bytes)
    }
}
