import Foundation

/// A progress bar on standard error: redrawn in place on a terminal, a line every 10% otherwise.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let terminal = isatty(2) != 0
    private let lock = NSLock()
    private var lastPercent = -1

    init(total: Int, label: String, enabled: Bool = true) {
        self.total = max(1, total)
        self.label = label
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let percent = min(100, done * 100 / total)
        guard percent != lastPercent, terminal || percent / 10 != lastPercent / 10 || percent == 100 else { return }
        lastPercent = percent
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\(label) [\(bar)] \(percent)% (\(done)/\(total))"
        FileHandle.standardError.write(Data((terminal ? "\r" + line : line + "\n").utf8))
    }

    func finish() {
        guard enabled, terminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
