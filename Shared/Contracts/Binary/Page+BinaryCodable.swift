import Wire

// A page of any listing writes and reads itself in the binary codec when its items do (same bytes and values as its
// synthesized `Codable`; see `BinaryCodable`).

extension StorageContract.Page: BinaryValue where Item: BinaryValue {}

extension StorageContract.Page: BinaryCodable where Item: BinaryValue {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(items, forKey: "items")
        writer.encodeIfPresent(next, forKey: "next")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            items: reader.decode([Item].self, forKey: "items"),
            next: reader.decodeIfPresent(String.self, forKey: "next"))
    }
}
