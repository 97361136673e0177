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
