/// Arrays of any `Decodable` element decode through this instead of `Array.init(from:)`: the
/// element count is known up front (so the array is allocated once), and the elements are read
/// directly rather than through an `UnkeyedDecodingContainer` existential. The result is the
/// same as `Array.init(from:)`'s.
protocol BinaryDecodableArray {
    /// Decodes the tag-9 value at `start..<end` as `Self`, returned as `R` (which is `Self`).
    static func binaryDecode<R>(
        as type: R.Type, reader: BinaryReader, start: Int, end: Int,
        parent: BinaryDecoderImpl?, component: BinaryPathComponent, context: BinaryDecodingContext, depth: Int
    ) throws -> R
}

extension Array: BinaryDecodableArray where Element: Decodable {
    static func binaryDecode<R>(
        as type: R.Type, reader: BinaryReader, start: Int, end: Int,
        parent: BinaryDecoderImpl?, component: BinaryPathComponent, context: BinaryDecodingContext, depth: Int
    ) throws -> R {
        let (decoder, header) = try BinaryDecoderImpl.openCollection(
            BinaryFormat.tagArray, as: [Element].self, reader: reader, start: start, end: end,
            parent: parent, component: component, context: context, depth: depth)
        var result: [Element] = []
        result.reserveCapacity(header.count)
        var offset = header.bodyStart
        for index in 0..<header.count {
            let elementEnd = reader.skip(offset, header.bodyEnd)
            guard elementEnd >= 0 else {
                throw decoder.convert(BinaryReadError.corrupted(reader.malformedDescription(at: offset, header.bodyEnd)), BinaryCodingKey(index: index))
            }
            result.append(try decoder.decodeChild(Element.self, start: offset, end: elementEnd, component: .index(index), recycling: true))
            offset = elementEnd
        }
        return unsafeBitCast(result, to: R.self)
    }
}
