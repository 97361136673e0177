/// A coding key made at run time: array indices in coding paths (`Index N`, as Foundation names
/// them) and the `"super"` key of the keyless `superEncoder()` / `superDecoder()`.
struct BinaryCodingKey: CodingKey, Sendable {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }

    /// The key naming element `index` of an unkeyed container in a coding path.
    init(index: Int) {
        self.stringValue = "Index \(index)"
        self.intValue = index
    }

    static let superKey = BinaryCodingKey(stringValue: BinaryFormat.superKey)
}
