/// One step of a coding path, kept unmaterialized so that the hot path never builds
/// `[CodingKey]` arrays; `codingPath` is assembled only when somebody asks (usually for an error).
enum BinaryPathComponent {
    /// The value has the same path as its parent (a single-value container's content).
    case none
    /// A keyed container's entry.
    case key(any CodingKey)
    /// An unkeyed container's element.
    case index(Int)

    /// The coding key of this step, if it has one.
    var codingKey: (any CodingKey)? {
        switch self {
        case .none: return nil
        case .key(let key): return key
        case .index(let index): return BinaryCodingKey(index: index)
        }
    }
}
