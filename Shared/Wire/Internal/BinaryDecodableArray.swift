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
        guard depth < context.maxDepth else {
            throw BinaryDecoderImpl.depthError(parent: parent, component: component, maxDepth: context.maxDepth)
        }
        // The array's own decoder: it anchors the elements' coding paths.
        let decoder = BinaryDecoderImpl(reader: reader, start: start, end: end, depth: depth &+ 1, context: context, parent: parent, component: component)
        let header: BinaryReader.ContainerHeader
        do {
            header = try reader.readContainerHeader(BinaryFormat.tagArray, as: [Element].self, start, end)
        } catch {
            throw decoder.convert(error, nil)
        }
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
