extension String {
    /// The first `limit` UTF-8 bytes, copied in one go (`Array(utf8)` walks the view byte by byte).
    public func utf8Bytes(limit: Int = .max) -> [UInt8] {
        var copy = self
        return copy.withUTF8 { Array(UnsafeBufferPointer(rebasing: $0.prefix(limit))) }
    }

    /// A string from bytes with leading and trailing spaces, tabs and line breaks removed.
    public static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> String {
        var start = 0
        var end = b.count
        while start < end, b[start] == 0x20 || b[start] == 0x09 || b[start] == 0x0A || b[start] == 0x0D { start += 1 }
        while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 || b[end - 1] == 0x0A || b[end - 1] == 0x0D { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }
}
