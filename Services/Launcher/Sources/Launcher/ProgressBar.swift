import Foundation
import Synchronization

/// A progress bar on standard error: redrawn in place on a terminal, a line every 10% otherwise.
final class ProgressBar: Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let terminal = isatty(2) != 0
    private let lastPercent = Mutex(-1)

    init(total: Int, label: String, enabled: Bool = true) {
        self.total = max(1, total)
        self.label = label
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let percent = min(100, done * 100 / total)
        let draw = lastPercent.withLock { last in
            guard percent != last, terminal || percent / 10 != last / 10 || percent == 100 else { return false }
            last = percent
            return true
        }
        guard draw else { return }
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
