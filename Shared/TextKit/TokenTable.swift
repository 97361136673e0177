/// Builds a map from lowercase byte strings to dense ids (open addressing, exact byte comparison);
/// `FrozenTokenTable` is its fast read-only form. Also home of the shared word hash: the extractor's
/// extension table and the skill detector's word, stop-word and alias tables all key words by `hash`.
public struct TokenTable: Sendable {
    private var slots: [Int32] = Array(repeating: -1, count: 1024)
    private var hashes: [UInt64] = []
    private var offsets: [Int32] = [0]
    private var bytes: [UInt8] = []

    /// The raw arrays, for `FrozenTokenTable`.
    var parts: (slots: [Int32], hashes: [UInt64], offsets: [Int32], bytes: [UInt8]) { (slots, hashes, offsets, bytes) }

    /// An empty table.
    public init() {}

    /// How many distinct tokens the table holds.
    public var count: Int { hashes.count }

    /// The id of `token` (lowercased), inserting it when new.
    @discardableResult
    public mutating func insert(_ token: String) -> Int32 {
        var utf8 = Array(token.utf8)
        for index in utf8.indices { utf8[index] = Self.lower(utf8[index]) }
        let hash = utf8.withUnsafeBufferPointer { Self.hash($0, 0, $0.count) }
        if let existing = utf8.withUnsafeBufferPointer({ find($0, 0, $0.count, hash: hash) }) { return existing }
        if (hashes.count + 1) * 2 > slots.count { grow() }
        let id = Int32(hashes.count)
        hashes.append(hash)
        bytes.append(contentsOf: utf8)
        offsets.append(Int32(bytes.count))
        place(id, hash: hash)
        return id
    }

    /// `A`...`Z` turned into `a`...`z`; other bytes as they are.
    @inlinable @inline(__always)
    public static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// A hash of the ASCII-lowercased bytes, eight at a time (a per-byte FNV chain is latency bound).
    @inlinable @inline(__always)
    public static func hash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        guard let base = b.baseAddress else { return 0 }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: end - start)
        var i = start
        while i + 8 <= end {
            let chunk = lowered(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            h = (h ^ chunk) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < end {
            // The last 1...7 bytes as a little-endian number: one load of the 8 bytes ending at `end` when
            // they are inside the buffer, byte by byte only at its very start.
            let rest = end - i
            var tail: UInt64 = 0
            if end >= 8 {
                tail = UnsafeRawPointer(base + end - 8).loadUnaligned(as: UInt64.self) &>> UInt64(64 - 8 * rest)
            } else {
                var shift: UInt64 = 0
                while i < end {
                    tail |= UInt64(base[i]) << shift
                    shift += 8
                    i += 1
                }
            }
            h = (h ^ lowered(tail)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        h = (h ^ (h >> 29)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }

    /// Eight bytes with `A`...`Z` turned into `a`...`z` (SWAR: no per-byte branches).
    @usableFromInline @inline(__always)
    static func lowered(_ x: UInt64) -> UInt64 {
        let heptets = x & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = heptets &+ 0x3F3F_3F3F_3F3F_3F3F  // high bit set where byte >= 0x41
        let pastZ = heptets &+ 0x2525_2525_2525_2525  // high bit set where byte >= 0x5B
        let upper = atLeastA & ~pastZ & ~x & 0x8080_8080_8080_8080
        return x | (upper >> 2)
    }

    @inline(__always)
    private func find(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { stored in
                while true {
                    let id = slots[slot]
                    if id < 0 { return nil }
                    if hashes[Int(id)] == hash {
                        let from = Int(offsets[Int(id)])
                        let to = Int(offsets[Int(id) + 1])
                        if to - from == end - start {
                            var equal = true
                            var i = 0
                            while i < to - from {
                                if stored[from + i] != Self.lower(b[start + i]) {
                                    equal = false
                                    break
                                }
                                i += 1
                            }
                            if equal { return id }
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for id in hashes.indices { place(Int32(id), hash: hashes[id]) }
    }
}
