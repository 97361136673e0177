/// A `TokenTable` copied into raw memory for lookups without bounds checks or reference counting on the
/// hot path. An 8 KiB bit filter on 16 hash bits (it stays in the L1 cache) rejects most words that are
/// not in the table; each slot packs the upper half of the hash with the id, and a word is identified by
/// its full 64-bit hash and length (two different words agreeing on both is below 1e-15 per lookup).
/// Immutable once made, hence safe to share. The lookups are inlinable (the skill detector calls them once
/// per word), so the storage they read is visible to inlined code but not part of the API.
public final class FrozenTokenTable: @unchecked Sendable {
    @usableFromInline let filter: UnsafeMutablePointer<UInt64>
    @usableFromInline let mask: Int
    @usableFromInline let slots: UnsafeMutablePointer<UInt64>  // hash >> 32 << 32 | (id + 1); 0 is empty
    @usableFromInline let offsets: UnsafeMutablePointer<Int32>
    @usableFromInline let hashes: UnsafeMutablePointer<UInt64>
    /// How many words the table holds; ids are `0..<count`, in `TokenTable` insertion order.
    public let count: Int

    /// A frozen copy of `table`.
    public init(_ table: TokenTable) {
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
    @inlinable @inline(__always)
    public func lookup(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32 {
        guard end > start else { return -1 }
        return lookup(hash: TokenTable.hash(b, start, end), length: end - start)
    }

    /// The id of the word with this `TokenTable.hash` and byte length, or -1.
    @inlinable @inline(__always)
    public func lookup(hash: UInt64, length: Int) -> Int32 {
        let bit = Int(truncatingIfNeeded: hash >> 32) & 0xFFFF
        guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return -1 }
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
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
