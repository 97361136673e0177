import TextKit

/// Finds case-sensitive marker substrings (3 bytes or more) in one pass: a rolling window of the next
/// three bytes is hashed into a 64 Ki-bit filter (8 KiB, stays in cache) that rejects about 95% of
/// positions; the survivors are compared with the markers sharing that hash. Built once, then immutable
/// (raw memory, no reference counting on the hot path), hence safe to share.
final class MarkerIndex: @unchecked Sendable {
    struct Marker: Sendable {
        var skill: Int32
        var evidence: Int32
    }

    /// The shortest marker the index accepts.
    static let minimumLength = 3

    let markers: [Marker]
    private let filter: UnsafeMutablePointer<UInt64>
    /// Markers whose first three bytes hash to `h` are among `order[starts[h >> 4]..<starts[(h >> 4) + 1]]`
    /// (4097 entries, 16 KiB, cache-friendly; most buckets hold none or one marker).
    private let starts: UnsafeMutablePointer<Int32>
    private let order: UnsafeMutablePointer<Int32>
    private let offsets: UnsafeMutablePointer<Int32>
    private let flat: UnsafeMutablePointer<UInt8>
    /// Each marker's first three bytes as a 24-bit window, to reject bucket neighbours at once.
    private let prefixes: UnsafeMutablePointer<UInt32>

    /// The filter bucket of a 24-bit window of three bytes.
    @inline(__always)
    static func key(_ window: UInt32) -> Int {
        Int((window &* 0x9E37_79B1) >> 16)
    }

    /// An index of `(text, skill, evidence)` markers; texts shorter than three bytes are ignored.
    init(_ entries: [(text: String, skill: Int32, evidence: Int32)]) {
        let kept = entries.map { ($0.text.utf8Bytes(), $0.skill, $0.evidence) }.filter { $0.0.count >= Self.minimumLength }
        markers = kept.map { Marker(skill: $0.1, evidence: $0.2) }
        filter = .allocate(capacity: 1024)
        filter.initialize(repeating: 0, count: 1024)
        var buckets = [[Int32]](repeating: [], count: 4096)
        var flatBytes: [UInt8] = []
        var offsetList: [Int32] = [0]
        for (index, (bytes, _, _)) in kept.enumerated() {
            let key = Self.key(UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2]))
            filter[key >> 6] |= 1 << UInt64(key & 63)
            buckets[key >> 4].append(Int32(index))
            flatBytes.append(contentsOf: bytes)
            offsetList.append(Int32(flatBytes.count))
        }
        var startList: [Int32] = []
        var orderList: [Int32] = []
        startList.reserveCapacity(4097)
        for bucket in buckets {
            startList.append(Int32(orderList.count))
            orderList.append(contentsOf: bucket)
        }
        startList.append(Int32(orderList.count))
        starts = .allocate(capacity: startList.count)
        starts.initialize(from: startList, count: startList.count)
        order = .allocate(capacity: max(1, orderList.count))
        order.initialize(from: orderList, count: orderList.count)
        offsets = .allocate(capacity: offsetList.count)
        offsets.initialize(from: offsetList, count: offsetList.count)
        flat = .allocate(capacity: max(1, flatBytes.count))
        flat.initialize(from: flatBytes, count: flatBytes.count)
        prefixes = .allocate(capacity: max(1, kept.count))
        for (index, (bytes, _, _)) in kept.enumerated() {
            (prefixes + index).initialize(to: UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2]))
        }
    }

    deinit {
        filter.deallocate()
        starts.deallocate()
        order.deallocate()
        offsets.deallocate()
        flat.deallocate()
        prefixes.deallocate()
    }

    /// Appends the index of every marker occurring in `b` (once per occurrence) to `found`.
    func scan(_ b: UnsafeBufferPointer<UInt8>, into found: inout [Int32]) {
        let n = b.count
        guard n >= Self.minimumLength, !markers.isEmpty, let base = b.baseAddress else { return }
        let filter = self.filter
        var window = UInt32(base[0]) << 8 | UInt32(base[1])
        var next = base + 2
        let end = base + n
        while next < end {
            window = (window &<< 8 | UInt32(next.pointee)) & 0xFF_FFFF
            let key = Self.key(window)
            if filter[key &>> 6] & (1 &<< UInt64(key & 63)) != 0 {
                compare(base, n, base.distance(to: next) - 2, window, key, &found)
            }
            next += 1
        }
    }

    private func compare(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ window: UInt32, _ key: Int,
                         _ found: inout [Int32]) {
        for position in Int(starts[key >> 4])..<Int(starts[(key >> 4) + 1]) {
            let index = Int(order[position])
            guard prefixes[index] == window else { continue }
            let from = Int(offsets[index])
            let length = Int(offsets[index + 1]) - from
            guard length <= n - i else { continue }
            var j = 3
            while j < length, flat[from + j] == base[i + j] { j += 1 }
            if j == length { found.append(Int32(index)) }
        }
    }
}
