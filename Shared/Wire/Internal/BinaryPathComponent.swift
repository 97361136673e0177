/// One step of a coding path, kept unmaterialized so that the hot path never builds
/// `[CodingKey]` arrays; `codingPath` is assembled only when somebody asks (usually for an error).
enum BinaryPathComponent {
    /// The value has the same path as its parent (a single-value container's content).
    case none
    /// A keyed container's entry.
    case key(any CodingKey)
    /// A dictionary entry read or written by the `[String: V]` fast path (no `CodingKey`
    /// existential is built unless the path is asked for).
    case name(String)
    /// An unkeyed container's element.
    case index(Int)

    /// The coding key of this step, if it has one.
    var codingKey: (any CodingKey)? {
        switch self {
        case .none: return nil
        case .key(let key): return key
        case .name(let name): return BinaryCodingKey(stringValue: name)
        case .index(let index): return BinaryCodingKey(index: index)
        }
    }
}
