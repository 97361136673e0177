// libFuzzer target: the RPC frame decoder (Shared/Wire FrameDecoder) and the binary message codec.
// The first input byte picks a chunk size, so frames arrive split at arbitrary points as they do
// from a socket; every whole frame's body is then decoded as a message with strings, numbers,
// optionals, arrays, maps and nesting. Hostile input may throw; it must never crash or hang.

struct FuzzMessage: Codable {
    struct Inner: Codable {
        var name: String
        var values: [Int64]
        var flag: Bool?
    }
    var id: UInt32
    var text: String
    var score: Double?
    var tags: [String]
    var inner: Inner?
    var map: [String: Inner]
    var raw: [UInt8]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let chunk = Int(data[0]) + 1
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    var decoder = FrameDecoder(maxFrameSize: 64 * 1024)
    let codec = BinaryDecoder(maxDepth: 16)
    var offset = 0
    do {
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            decoder.append(contentsOf: bytes[offset..<end])
            offset = end
            while let frame = try decoder.nextFrame() {
                _ = try? codec.decode(FuzzMessage.self, from: frame)
                _ = try? codec.decode([String: [Int]].self, from: frame)
            }
        }
        try decoder.finish()
    } catch {
        // Frame too large or truncated: refused, which is the right answer.
    }
    return 0
}
