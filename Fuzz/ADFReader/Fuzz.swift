// libFuzzer target: the ticket description reader (TextKit TextExtractor with its ADF, wiki and
// Markdown readers), which sees every ticket text from Jira. Deeply nested or malformed documents
// must come back as (possibly empty) text within the size limit, never crash or recurse unbounded.

let extractor = TextExtractor()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = extractor.extract(text)
    _ = extractor.extractADF(Array(text.utf8))
    _ = extractor.extractPlain(text)
    return 0
}
