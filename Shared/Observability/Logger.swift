import Foundation
import Synchronization

/// A structured logger writing one JSON object per line (to standard error by default).
///
/// Libraries take the logger they are given and add fields with ``with(_:)``. Every string is passed
/// through ``Redactor`` before it is written, as a safety net: callers still must not log secrets or
/// personal data (ticket text, tokens, API keys, e-mails).
public struct Logger: Sendable {
    /// Severity, lowest first.
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The lowercase name used in log lines and configuration.
        public var name: String { String(describing: self) }

        /// Parses a level name.
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = level
        }
    }

    /// The component writing the lines (for example `storage`).
    public let label: String
    /// Lines below this level are dropped.
    public var level: Level
    /// Fields added to every line.
    public private(set) var metadata: [(String, LogValue)]
    private let sink: LogSink

    /// Creates a logger for `label` writing to `sink` (standard error by default).
    public init(label: String, level: Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.level = level
        self.metadata = []
        self.sink = sink
    }

    /// A copy that adds `fields` to every line.
    public func with(_ fields: [String: LogValue]) -> Logger {
        var copy = self
        for key in fields.keys.sorted() { copy.metadata.append((key, fields[key]!)) }
        return copy
    }

    public func trace(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: LogValue] = [:]) {
        log(.trace, message(), fields())
    }
    public func debug(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: LogValue] = [:]) {
        log(.debug, message(), fields())
    }
    public func info(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: LogValue] = [:]) {
        log(.info, message(), fields())
    }
    public func notice(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: LogValue] = [:]) {
        log(.notice, message(), fields())
    }
    public func warning(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: LogValue] = [:]) {
        log(.warning, message(), fields())
    }
    public func error(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: LogValue] = [:]) {
        log(.error, message(), fields())
    }
    public func critical(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: LogValue] = [:]) {
        log(.critical, message(), fields())
    }

    /// Writes one line if `level` is enabled; the message and fields are not even built otherwise.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: LogValue] = [:]) {
        guard level >= self.level else { return }
        let fields = fields()
        var line = JSONLine()
        line.add("ts", .string(Logger.timestamp()))
        line.add("level", .string(level.name))
        line.add("service", .string(label))
        line.add("msg", .string(message()))
        for (key, value) in metadata { line.add(key, value) }
        for key in fields.keys.sorted() { line.add(key, fields[key]!) }
        sink.write(line.finish())
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = now.tv_sec
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = now.tv_nsec / 1_000_000
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}

/// Where log lines go: standard error, or a closure (tests).
public struct LogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// A sink calling `write` with each line (without its newline).
    public init(_ write: @escaping @Sendable (String) -> Void) { self.writeLine = write }

    /// Standard error, one `write` per line so lines from threads never interleave.
    public static let standardError = LogSink { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue } else { return } }
                offset += written
            }
        }
    }

    /// Drops every line.
    public static let discard = LogSink { _ in }

    func write(_ line: String) { writeLine(line) }
}

/// Collects lines in memory; for tests of what gets logged.
public final class LogCapture: Sendable {
    private let storage = Mutex<[String]>([])

    public init() {}

    /// A sink appending to this capture.
    public var sink: LogSink { LogSink { [self] line in storage.withLock { $0.append(line) } } }

    /// The lines written so far.
    public var lines: [String] { storage.withLock { $0 } }
}
