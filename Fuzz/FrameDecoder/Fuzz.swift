// libFuzzer target: the RPC frame decoder (Shared/Wire FrameDecoder) and the binary message codec.
// The first input byte picks a chunk size, so frames arrive split at arbitrary points as they do
// from a socket; every whole frame's body is then decoded as a message with strings, numbers,
// optionals, arrays, maps and nesting. Hostile input may throw; it must never crash or hang.
// The message has a `BinaryCodable` fast path too: whenever that path alone takes a body, the
// `Codable` path must take it to the same value (else the target traps).

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

extension FuzzMessage.Inner: BinaryCodable, Equatable {
    func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(name, forKey: "name")
        writer.encode(values, forKey: "values")
        writer.encodeIfPresent(flag, forKey: "flag")
    }

    init(from reader: inout BinaryKeyedReader) throws {
        name = try reader.decode(String.self, forKey: "name")
        values = try reader.decode([Int64].self, forKey: "values")
        flag = try reader.decodeIfPresent(Bool.self, forKey: "flag")
    }
}

extension FuzzMessage: BinaryCodable, Equatable {
    func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(id, forKey: "id")
        writer.encode(text, forKey: "text")
        writer.encodeIfPresent(score, forKey: "score")
        writer.encode(tags, forKey: "tags")
        writer.encodeIfPresent(inner, forKey: "inner")
        writer.encode(map, forKey: "map")
        writer.encode(raw, forKey: "raw")
    }

    init(from reader: inout BinaryKeyedReader) throws {
        id = try reader.decode(UInt32.self, forKey: "id")
        text = try reader.decode(String.self, forKey: "text")
        score = try reader.decodeIfPresent(Double.self, forKey: "score")
        tags = try reader.decode([String].self, forKey: "tags")
        inner = try reader.decodeIfPresent(Inner.self, forKey: "inner")
        map = try reader.decode([String: Inner].self, forKey: "map")
        raw = try reader.decode([UInt8].self, forKey: "raw")
    }

    /// Equal, NaN scores included (bit for bit).
    static func == (a: FuzzMessage, b: FuzzMessage) -> Bool {
        a.id == b.id && a.text == b.text && a.score?.bitPattern == b.score?.bitPattern && a.tags == b.tags && a.inner == b.inner
            && a.map == b.map && a.raw == b.raw
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let chunk = Int(data[0]) + 1
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    var decoder = FrameDecoder(maxFrameSize: 64 * 1024)
    let codec = BinaryDecoder(maxDepth: 16)
    var codable = codec
    codable.useBinaryCodable = false
    var offset = 0
    do {
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            decoder.append(contentsOf: bytes[offset..<end])
            offset = end
            while let frame = try decoder.nextFrame() {
                let chosen = try? codec.decode(FuzzMessage.self, from: frame)
                let generic = try? codable.decode(FuzzMessage.self, from: frame)
                if chosen != generic { fatalError("the BinaryCodable path and the Codable path disagree") }
                if let fast = try? codec.decodeBinaryCodable(FuzzMessage.self, from: frame), fast != generic {
                    fatalError("the BinaryCodable path took a body the Codable path decodes otherwise")
                }
                _ = try? codec.decode([String: [Int]].self, from: frame)
            }
        }
        try decoder.finish()
    } catch {
        // Frame too large or truncated: refused, which is the right answer.
    }
    return 0
}
