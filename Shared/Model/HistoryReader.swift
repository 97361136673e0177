import Foundation

/// Reads ticket-history JSONL: one record per line, each bad line reported with its number and
/// skipped, never aborting the whole file.
public enum HistoryReader {
    /// One parsed line.
    public struct Line: Sendable {
        /// 1-based line number.
        public var number: Int
        public var result: Result<HistoryRecord, LineError>

        public init(number: Int, result: Result<HistoryRecord, LineError>) {
            self.number = number
            self.result = result
        }
    }

    /// Why one line was skipped.
    public struct LineError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
        public var description: String { "line \(line): \(reason)" }
    }

    /// Parses every non-blank line of `data`.
    public static func parse(_ data: Data) -> [Line] {
        let decoder = JSONDecoder()
        var lines: [Line] = []
        var number = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 10 { end += 1 }
                number += 1
                if start == bytes.count { break }
                var slice = bytes[start..<end]
                if slice.last == 13 { slice = slice.dropLast() }
                if !slice.allSatisfy({ $0 == 32 || $0 == 9 }) {
                    lines.append(Line(number: number, result: parseLine(Data(slice), number: number, decoder: decoder)))
                }
                start = end + 1
            }
        }
        return lines
    }

    /// A history file that cannot be read at all.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot read \(path): \(reason)" }
    }

    /// Parses the file at `path`: a regular file (mapped), or a pipe such as `/dev/stdin` (read to its end); `-` is
    /// standard input.
    public static func read(path: String) throws(Unreadable) -> [Line] {
        if path == "-" { return parse((try? FileHandle.standardInput.readToEnd()) ?? Data()) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw Unreadable(path: path, reason: "it is a directory") }
        if let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) { return parse(data) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Unreadable(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { throw Unreadable(path: path, reason: "read failed") }
        return parse(data ?? Data())
    }

    static func parseLine(_ data: Data, number: Int, decoder: JSONDecoder) -> Result<HistoryRecord, LineError> {
        do {
            return .success(try decoder.decode(HistoryRecord.self, from: data))
        } catch let error as HistoryRecord.Invalid {
            return .failure(LineError(line: number, reason: error.description))
        } catch DecodingError.typeMismatch(_, _) {
            return .failure(LineError(line: number, reason: "not a JSON object"))
        } catch {
            return .failure(LineError(line: number, reason: "malformed JSON"))
        }
    }
}
