/// `[String: V]` dictionaries of any `Decodable` value decode through this instead of
/// `Dictionary.init(from:)` (which lists `allKeys` as `CodingKey`s, casts arrays of them and grows
/// the dictionary as it goes): the entry count is known up front, keys are read once as strings and
/// values decoded in order. The result is the same as `Dictionary.init(from:)`'s, except that for a
/// key written twice the last value wins.
protocol BinaryDecodableDictionary {
    /// Decodes the tag-10 value at `start..<end` as `Self`, returned as `R` (which is `Self`).
    static func binaryDecode<R>(
        as type: R.Type, reader: BinaryReader, start: Int, end: Int,
        parent: BinaryDecoderImpl?, component: BinaryPathComponent, context: BinaryDecodingContext, depth: Int
    ) throws -> R
}

extension Dictionary: BinaryDecodableDictionary where Key == String, Value: Decodable {
    static func binaryDecode<R>(
        as type: R.Type, reader: BinaryReader, start: Int, end: Int,
        parent: BinaryDecoderImpl?, component: BinaryPathComponent, context: BinaryDecodingContext, depth: Int
    ) throws -> R {
        let (decoder, header) = try BinaryDecoderImpl.openCollection(
            BinaryFormat.tagKeyed, as: [String: Value].self, reader: reader, start: start, end: end,
            parent: parent, component: component, context: context, depth: depth)
        var result = [String: Value](minimumCapacity: header.count)
        var offset = header.bodyStart
        for _ in 0..<header.count {
            let entryStart = offset
            let keyCount = reader.length(&offset, header.bodyEnd)
            let valueEnd = offset < 0 ? -1 : reader.skip(offset &+ keyCount, header.bodyEnd)
            guard valueEnd >= 0 else {
                throw decoder.convert(BinaryReadError.corrupted("Malformed entry in keyed container at byte offset \(entryStart)."), nil)
            }
            let key: String
            do {
                key = try reader.makeString(offset, keyCount)
            } catch {
                throw decoder.convert(error, nil)
            }
            result.updateValue(try decoder.decodeChild(Value.self, start: offset &+ keyCount, end: valueEnd, component: .name(key), recycling: true), forKey: key)
            offset = valueEnd
        }
        return unsafeBitCast(result, to: R.self)
    }
}
