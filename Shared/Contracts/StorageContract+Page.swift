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
