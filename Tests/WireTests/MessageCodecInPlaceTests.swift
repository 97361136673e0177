import Testing
import Wire

/// Every codec decodes a message read in place (a frame's buffer) like one in an array.
@Suite struct MessageCodecInPlaceTests {
    struct Message: Codable, Equatable {
        var name: String
        var tags: [String]
        var score: Double?
    }

    @Test(arguments: availableCodecs.map(\.name))
    func decodingInPlaceEqualsDecodingAnArray(_ codecName: String) throws {
        let codec = try #require(availableCodecs.first { $0.name == codecName })
        let message = Message(name: "ZOOKEEPER-4512", tags: ["quorum", "persistence"], score: 0.75)
        var bytes: [UInt8] = [0xEE]   // something before the message, as in a frame
        try codec.encode(message, appendingTo: &bytes)
        let fromArray = try codec.decode(Message.self, from: Array(bytes.dropFirst()))
        let inPlace = try bytes.withUnsafeBytes { raw in
            try codec.decode(Message.self, from: UnsafeRawBufferPointer(rebasing: raw[1...]))
        }
        #expect(fromArray == message)
        #expect(inPlace == message)
        // Truncated input fails the same way in place.
        #expect(throws: (any Error).self) {
            try bytes.withUnsafeBytes { raw in
                _ = try codec.decode(Message.self, from: UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)]))
            }
        }
    }
}
