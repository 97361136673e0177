import Foundation

/// Replaces every whole-word occurrence of a person's id and name in stored bytes (text columns and JSON documents)
/// with their pseudonym, for the erasure of a person (``Store/erasePerson(_:_:)``).
///
/// A needle matches only between word boundaries (the bytes around it are not ASCII letters, digits, `_` or `-`, nor
/// part of a multi-byte character), so erasing `ann` leaves `annual` and `joanna` alone while `"chosen":"ann"` and
/// "given to Ann" lose it. Each needle is also sought as JSON spells it (quotes, backslashes, `/` and control characters
/// escaped), since most of what is replaced sits inside JSON documents.
struct Pseudonymizer: Sendable {
    /// The byte strings sought, longest first (so a name containing the id is replaced whole).
    let needles: [[UInt8]]
    let replacement: [UInt8]

    /// Seeks `words` (empty ones and those under two bytes are ignored: a one-letter name would match every initial).
    init(words: [String], pseudonym: String) {
        var needles = Set<[UInt8]>()
        for word in words where word.utf8.count >= 2 {
            needles.insert(Array(word.utf8))
            for spelling in Self.jsonSpellings(word) { needles.insert(Array(spelling.utf8)) }
        }
        self.needles = needles.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        replacement = Array(pseudonym.utf8)
    }

    /// `bytes` with every needle replaced, or nil when none occurs.
    func scrub(_ bytes: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var changed = false
        var index = 0
        var copiedUpTo = 0
        while index < bytes.count {
            if let length = match(in: bytes, at: index) {
                if !changed { output.reserveCapacity(bytes.count) }
                output.append(contentsOf: bytes[copiedUpTo..<index])
                output.append(contentsOf: replacement)
                index += length
                copiedUpTo = index
                changed = true
            } else {
                index += 1
            }
        }
        guard changed else { return nil }
        output.append(contentsOf: bytes[copiedUpTo...])
        return output
    }

    /// `text` with every needle replaced, or nil when none occurs.
    func scrub(_ text: String) -> String? {
        scrub(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The length of the needle starting at `index` between word boundaries, if any.
    private func match(in bytes: [UInt8], at index: Int) -> Int? {
        if index > 0, Self.isWordByte(bytes[index - 1]) { return nil }
        for needle in needles where index + needle.count <= bytes.count {
            guard bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) else { continue }
            let end = index + needle.count
            if end < bytes.count, Self.isWordByte(bytes[end]) { continue }
            return needle.count
        }
        return nil
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), 0x80...: true
        default: false
        }
    }

    /// The ways Foundation's encoders spell `text` inside a JSON string (with `/` escaped, and without).
    static func jsonSpellings(_ text: String) -> [String] {
        [JSONEncoder.OutputFormatting(), .withoutEscapingSlashes].compactMap { formatting in
            let encoder = JSONEncoder()
            encoder.outputFormatting = formatting
            return (try? encoder.encode(text)).map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) }
        }
    }
}
