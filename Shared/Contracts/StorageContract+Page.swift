extension StorageContract {
    /// One page of a listing (tickets, people, decisions, audit records), in the listing's stable order.
    public struct Page<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
        public var items: [Item]
        /// The opaque cursor of the next page; nil on the last page.
        public var next: String?

        public init(items: [Item], next: String?) {
            self.items = items
            self.next = next
        }
    }
}

extension StorageContract.Page {
    /// The items of a paged listing from `cursor` on (nil: its start), page after page (`page` asks for the one after a
    /// cursor), until at least `count` are read or none is left; and the cursor of the rest (nil: none left).
    public static func collect(from cursor: String? = nil, atLeast count: Int,
                               _ page: (String?) async throws -> Self) async throws -> (items: [Item], rest: String?) {
        var cursor = cursor
        var items: [Item] = []
        repeat {
            let next = try await page(cursor)
            items += next.items
            cursor = next.next
        } while cursor != nil && items.count < count
        return (items, cursor)
    }
}
