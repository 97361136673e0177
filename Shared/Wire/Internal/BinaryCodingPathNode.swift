/// The encoder's and decoder's nodes (one per nested value): a node's coding path is the keys of the components on the
/// way from the root down to it.
protocol BinaryCodingPathNode: AnyObject {
    var component: BinaryPathComponent { get }
    var parent: Self? { get }
}

extension BinaryCodingPathNode {
    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node: Self? = self
        while let current = node {
            if let key = current.component.codingKey { keys.append(key) }
            node = current.parent
        }
        return keys.reversed()
    }

    /// The coding path with `key` (when given) appended.
    func codingPath(appending key: (any CodingKey)?) -> [any CodingKey] {
        var path = codingPath
        if let key { path.append(key) }
        return path
    }
}
