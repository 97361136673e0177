/// An open-addressing map from lowercase byte strings to dense ids, looked up straight from (mixed-case)
/// UTF-8 bytes without building a `String`.
struct TokenTable: Sendable {
    private var slots: [Int32] = Array(repeating: -1, count: 1024)
    private var hashes: [UInt64] = []
    private var offsets: [Int32] = [0]
    private var bytes: [UInt8] = []

    /// The raw arrays, for `FrozenTokenTable`.
    var parts: (slots: [Int32], hashes: [UInt64], offsets: [Int32], bytes: [UInt8]) { (slots, hashes, offsets, bytes) }

    /// How many distinct tokens the table holds.
    var count: Int { hashes.count }

    /// The token with this id.
    func token(_ id: Int32) -> String {
        let range = Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// The id of `token` (lowercased), inserting it when new.
    @discardableResult
    mutating func insert(_ token: String) -> Int32 {
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

    /// The id of the bytes `b[start..<end]` compared case-insensitively (ASCII), or -1.
    @inline(__always)
    func lookup(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32 {
        find(b, start, end, hash: Self.hash(b, start, end)) ?? -1
    }

    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// A hash of the ASCII-lowercased bytes, eight at a time (a per-byte FNV chain is latency bound).
    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
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
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < end {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ lowered(tail)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        h = (h ^ (h >> 29)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }

    /// Eight bytes with `A`...`Z` turned into `a`...`z` (SWAR: no per-byte branches).
    @inline(__always)
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

/// A `TokenTable` copied into raw memory for lookups without bounds checks or reference counting on the
/// hot path. An 8 KiB bit filter on 16 hash bits (it stays in the L1 cache) rejects most words that are
/// not in the table; each slot packs the upper half of the hash with the id, and a word is identified by
/// its full 64-bit hash and length (two different words agreeing on both is below 1e-15 per lookup).
/// Immutable once made, hence safe to share.
final class FrozenTokenTable: @unchecked Sendable {
    private let filter: UnsafeMutablePointer<UInt64>
    private let mask: Int
    private let slots: UnsafeMutablePointer<UInt64>  // hash >> 32 << 32 | (id + 1); 0 is empty
    private let offsets: UnsafeMutablePointer<Int32>
    private let hashes: UnsafeMutablePointer<UInt64>
    let count: Int

    init(_ table: TokenTable) {
        let parts = table.parts
        count = parts.hashes.count
        var capacity = 64
        while capacity < count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        filter = .allocate(capacity: 1024)
        filter.initialize(repeating: 0, count: 1024)
        for (id, hash) in parts.hashes.enumerated() {
            let bit = Int(truncatingIfNeeded: hash >> 32) & 0xFFFF
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
        }
        offsets = .allocate(capacity: parts.offsets.count)
        offsets.initialize(from: parts.offsets, count: parts.offsets.count)
        hashes = .allocate(capacity: max(1, count))
        hashes.initialize(from: parts.hashes, count: count)
    }

    deinit {
        hashes.deallocate()
        filter.deallocate()
        slots.deallocate()
        offsets.deallocate()
    }

    /// The id of the bytes `b[start..<end]` compared case-insensitively (ASCII), or -1.
    @inline(__always)
    func lookup(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32 {
        guard end > start else { return -1 }
        let hash = TokenTable.hash(b, start, end)
        let bit = Int(truncatingIfNeeded: hash >> 32) & 0xFFFF
        guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return -1 }
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        let length = end - start
        while true {
            let entry = slots[slot]
            if entry == 0 { return -1 }
            if entry >> 32 == tag {
                // Equal 64-bit hashes and lengths identify the word (a false match is below 1e-15).
                let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if hashes[id] == hash, Int(offsets[id + 1] - offsets[id]) == length { return Int32(id) }
            }
            slot = (slot + 1) & mask
        }
    }
}

/// A frozen map from a pair of word ids to a range of phrase indices: a bit filter rejects most pairs,
/// open addressing finds the rest. Immutable once made, hence safe to share.
final class PairTable: @unchecked Sendable {
    private let filter: UnsafeMutablePointer<UInt64>
    private let keys: UnsafeMutablePointer<UInt64>  // 0 is empty; stored as key + 1
    private let values: UnsafeMutablePointer<UInt64>  // lower << 32 | upper
    private let mask: Int

    init(_ entries: [UInt64: Range<Int32>]) {
        var capacity = 64
        while capacity < entries.count * 2 { capacity *= 2 }
        mask = capacity - 1
        filter = .allocate(capacity: 1024)
        filter.initialize(repeating: 0, count: 1024)
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        values = .allocate(capacity: capacity)
        values.initialize(repeating: 0, count: capacity)
        for (key, range) in entries {
            let hash = Self.mix(key)
            let bit = Int(truncatingIfNeeded: hash >> 48)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key &+ 1
            values[slot] = UInt64(UInt32(range.lowerBound)) << 32 | UInt64(UInt32(range.upperBound))
        }
    }

    deinit {
        filter.deallocate()
        keys.deallocate()
        values.deallocate()
    }

    @inline(__always)
    private static func mix(_ key: UInt64) -> UInt64 {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return h &* 0xBF58_476D_1CE4_E5B9
    }

    /// The phrase range for `(first, second)`, or nil.
    @inline(__always)
    func lookup(_ first: Int32, _ second: Int32) -> Range<Int>? {
        let key = UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
        let hash = Self.mix(key)
        let bit = Int(truncatingIfNeeded: hash >> 48)
        guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return nil }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = keys[slot]
            if stored == 0 { return nil }
            if stored == key &+ 1 {
                let value = values[slot]
                return Int(value >> 32)..<Int(value & 0xFFFF_FFFF)
            }
            slot = (slot + 1) & mask
        }
    }
}
