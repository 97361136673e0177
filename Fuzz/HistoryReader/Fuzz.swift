import Foundation

// libFuzzer target: the JSONL import line parser (Shared/Model HistoryReader), used by
// `smart-ticket import` and POST /api/v1/import. Every line is either a record or an error naming
// its line number; nothing crashes, and line numbers stay within the input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    let lines = HistoryReader.parse(bytes)
    let newlines = bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    for line in lines {
        precondition(line.number >= 1 && line.number <= newlines + 1, "line number out of range")
        if case .failure(let error) = line.result { precondition(error.line == line.number, "error names another line") }
    }
    return 0
}
