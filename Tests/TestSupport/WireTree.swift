/// A Wire binary value (see `BinaryFormat` in Shared/Wire) parsed into a tree, to build altered
/// inputs for decoder tests (entries removed, replaced, reordered or added, with every container
/// length and count rewritten) and to compare encodings whatever their keys' order.
public indirect enum WireTree: Equatable, Sendable {
    /// A scalar value's bytes, tag included.
    case leaf([UInt8])
    case array([WireTree])
    case keyed([Entry])

    public struct Entry: Equatable, Sendable {
        public var key: [UInt8]
        public var value: WireTree

        public init(key: [UInt8], value: WireTree) {
            self.key = key
            self.value = value
        }

        public init(_ key: String, _ value: WireTree) {
            self.init(key: Array(key.utf8), value: value)
        }
    }

    public struct Malformed: Error {}

    /// Parses one whole value.
    public init(parsing bytes: [UInt8]) throws {
        var offset = 0
        self = try WireTree.parse(bytes, &offset)
        guard offset == bytes.count else { throw Malformed() }
    }

    private static func varint(_ bytes: [UInt8], _ offset: inout Int) throws -> Int {
        var result = 0
        var shift = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            result |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw Malformed()
    }

    private static func parse(_ bytes: [UInt8], _ offset: inout Int) throws -> WireTree {
        guard offset < bytes.count else { throw Malformed() }
        let start = offset
        let tag = bytes[offset]
        offset += 1
        switch tag {
        case 0, 1, 2:
            break
        case 3, 4:
            _ = try varint(bytes, &offset)
        case 5:
            offset += 8
        case 6:
            offset += 4
        case 7, 8:
            let count = try varint(bytes, &offset)
            offset += count
        case 9, 10:
            guard offset + 4 <= bytes.count else { throw Malformed() }
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            offset += 4
            let end = offset + length
            let count = try varint(bytes, &offset)
            var elements: [WireTree] = []
            var entries: [Entry] = []
            for _ in 0..<count {
                if tag == 10 {
                    let keyCount = try varint(bytes, &offset)
                    guard offset + keyCount <= bytes.count else { throw Malformed() }
                    let key = Array(bytes[offset..<offset + keyCount])
                    offset += keyCount
                    entries.append(Entry(key: key, value: try parse(bytes, &offset)))
                } else {
                    elements.append(try parse(bytes, &offset))
                }
            }
            guard offset == end else { throw Malformed() }
            return tag == 10 ? .keyed(entries) : .array(elements)
        default:
            throw Malformed()
        }
        guard offset <= bytes.count else { throw Malformed() }
        return .leaf(Array(bytes[start..<offset]))
    }

    /// The value's bytes (the inverse of `init(parsing:)` for what the encoder writes).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        write(to: &out)
        return out
    }

    private static func putVarint(_ value: Int, _ out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    private func write(to out: inout [UInt8]) {
        switch self {
        case .leaf(let bytes):
            out.append(contentsOf: bytes)
        case .array(let elements):
            var body: [UInt8] = []
            WireTree.putVarint(elements.count, &body)
            for element in elements { element.write(to: &body) }
            WireTree.container(9, body, &out)
        case .keyed(let entries):
            var body: [UInt8] = []
            WireTree.putVarint(entries.count, &body)
            for entry in entries {
                WireTree.putVarint(entry.key.count, &body)
                body.append(contentsOf: entry.key)
                entry.value.write(to: &body)
            }
            WireTree.container(10, body, &out)
        }
    }

    private static func container(_ tag: UInt8, _ body: [UInt8], _ out: inout [UInt8]) {
        out.append(tag)
        let length = UInt32(body.count)
        out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)])
        out.append(contentsOf: body)
    }

    // MARK: Alterations

    /// A step from a container to one of its values.
    public enum Step: Equatable, Sendable {
        case entry(Int)
        case element(Int)
    }

    /// The paths of every keyed container in the tree (the root's is []).
    public var keyedPaths: [[Step]] {
        var paths: [[Step]] = []
        collectKeyed(prefix: [], into: &paths)
        return paths
    }

    private func collectKeyed(prefix: [Step], into paths: inout [[Step]]) {
        switch self {
        case .leaf:
            return
        case .array(let elements):
            for (index, element) in elements.enumerated() { element.collectKeyed(prefix: prefix + [.element(index)], into: &paths) }
        case .keyed(let entries):
            paths.append(prefix)
            for (index, entry) in entries.enumerated() { entry.value.collectKeyed(prefix: prefix + [.entry(index)], into: &paths) }
        }
    }

    /// The subtree at `path`.
    public subscript(path: [Step]) -> WireTree {
        get {
            guard let first = path.first else { return self }
            let rest = Array(path.dropFirst())
            switch (self, first) {
            case (.array(let elements), .element(let index)): return elements[index][rest]
            case (.keyed(let entries), .entry(let index)): return entries[index].value[rest]
            default: preconditionFailure("no such path")
            }
        }
        set {
            guard let first = path.first else { self = newValue; return }
            let rest = Array(path.dropFirst())
            switch (self, first) {
            case (.array(var elements), .element(let index)):
                elements[index][rest] = newValue
                self = .array(elements)
            case (.keyed(var entries), .entry(let index)):
                entries[index].value[rest] = newValue
                self = .keyed(entries)
            default:
                preconditionFailure("no such path")
            }
        }
    }

    /// The entries of the keyed container here (empty for other values).
    public var entries: [Entry] {
        if case .keyed(let entries) = self { return entries }
        return []
    }

    /// This tree with the entries of every keyed container in reverse order.
    public var reversingKeys: WireTree {
        switch self {
        case .leaf: return self
        case .array(let elements): return .array(elements.map(\.reversingKeys))
        case .keyed(let entries): return .keyed(entries.reversed().map { Entry(key: $0.key, value: $0.value.reversingKeys) })
        }
    }

    /// This tree with the entries of every keyed container sorted by key: the same for encodings
    /// that differ only in the order of their keys (a dictionary's, for example).
    public var sortingKeys: WireTree {
        switch self {
        case .leaf: return self
        case .array(let elements): return .array(elements.map(\.sortingKeys))
        case .keyed(let entries):
            return .keyed(entries.map { Entry(key: $0.key, value: $0.value.sortingKeys) }
                .sorted { $0.key.lexicographicallyPrecedes($1.key) })
        }
    }

    /// A value of another kind than `self`, for a wrong-tag test: false, or a string for a boolean.
    public var otherKind: WireTree {
        if case .leaf(let bytes) = self, bytes == [1] || bytes == [2] { return .leaf([7, 1, 0x78]) }
        return .leaf([1])
    }
}
