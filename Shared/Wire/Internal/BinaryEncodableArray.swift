/// Arrays of any `Encodable` element encode through this instead of `Array.encode(to:)`: the
/// elements go straight into a concrete unkeyed container rather than through an
/// `UnkeyedEncodingContainer` existential and the generic sequence iteration of the standard
/// library. The bytes, coding paths and errors are the same as `Array.encode(to:)`'s.
protocol BinaryEncodableArray {
    func binaryEncode(writer: BinaryWriter, parent: BinaryEncoderImpl?, component: BinaryPathComponent) throws
}

extension Array: BinaryEncodableArray where Element: Encodable {
    func binaryEncode(writer: BinaryWriter, parent: BinaryEncoderImpl?, component: BinaryPathComponent) throws {
        // The array's own encoder: it anchors the elements' coding paths, as in the generic path.
        let encoder = BinaryEncoderImpl(writer: writer, parent: parent, component: component, valueOffset: writer.count)
        var container = encoder.makeUnkeyedContainer()
        for element in self {
            try container.encode(element)
        }
    }
}
