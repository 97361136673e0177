import Foundation
import Harness

/// A headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe`: JSON messages,
/// each ended by a NUL byte, written to the browser's fd 3 and read from its fd 4 (no WebSocket needed).
///
/// Responses are read on a dedicated thread, never on the cooperative pool; callers await them.
public final class Chromium: @unchecked Sendable {
    /// A DevTools error answer, a browser that went away, or a timeout.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let profile: TemporaryDirectory
    private let lock = NSLock()
    private var nextID = 0
    private var pending: [Int: CheckedContinuation<Data, any Error>] = [:]
    private var events: [[String: Any]] = []
    private var exited = false
    /// Where the browser's own diagnostics go.
    public let logPath: String

    /// The browser executable: `$CHROMIUM`, or Debian's `chromium`; throws a clear error when missing.
    public static func executable() throws -> String {
        var candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        if let explicit = ProcessInfo.processInfo.environment["CHROMIUM"] { candidates.insert(explicit, at: 0) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "chromium is not installed (looked for \(candidates.joined(separator: ", "))): "
                + "run scripts/install-deps, which installs Debian's `chromium`, or set CHROMIUM to a Chromium binary")
        }
        return found
    }

    /// Starts a headless browser with a fresh profile and a window of `width` x `height` CSS pixels.
    public init(width: Int = 1280, height: Int = 1000) throws {
        let path = try Self.executable()
        signal(SIGPIPE, SIG_IGN)   // a browser that died must fail the test, not kill the runner
        profile = TemporaryDirectory(prefix: "chromium")
        logPath = profile.file("chromium.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let commands = Pipe()
        let replies = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell moves our pipes to fds 3 and 4, which is where Chromium speaks the protocol.
        process.arguments = ["-c", #"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#, path,
                             "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                             "--disable-sync", "--disable-component-update", "--mute-audio", "--hide-scrollbars",
                             "--remote-debugging-pipe", "--user-data-dir=\(profile.file("profile"))",
                             "--window-size=\(width),\(height)", "about:blank"]
        process.standardInput = commands
        process.standardOutput = replies
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        input = commands.fileHandleForWriting
        output = replies.fileHandleForReading
        let thread = Thread { [weak self] in self?.readLoop() }
        thread.name = "chromium-reader"
        thread.start()
    }

    /// Sends one command and waits (at most `timeout` seconds) for its result object.
    public func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil,
                     timeout: Double = 30) async throws -> [String: Any] {
        var message: [String: Any] = ["method": method, "params": params]
        if let session { message["sessionId"] = session }
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        message["id"] = id
        let bytes = try JSONSerialization.data(withJSONObject: message) + Data([0])
        let timer = Task { [weak self] in
            try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
            self?.fail(id, Failure(description: "no answer to \(method) within \(timeout) s"))
        }
        defer { timer.cancel() }
        let data = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            let gone = lock.withLock { () -> Bool in
                if exited { return true }
                pending[id] = continuation
                return false
            }
            if gone { return continuation.resume(throwing: Failure(description: "chromium has exited: \(logTail)")) }
            do {
                try input.write(contentsOf: bytes)
            } catch {
                fail(id, Failure(description: "cannot write to chromium: \(error)"))
            }
        }
        let reply = (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        if let error = reply["error"] as? [String: Any] {
            throw Failure(description: "\(method) failed: \(error["message"] ?? error)")
        }
        return reply["result"] as? [String: Any] ?? [:]
    }

    /// Opens a new tab and attaches to it.
    public func newPage() async throws -> ChromiumPage {
        let target = try await send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no targetId in \(target)") }
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw Failure(description: "no sessionId in \(attached)") }
        let page = ChromiumPage(browser: self, session: session)
        for domain in ["Page", "Runtime", "Log"] { _ = try await send("\(domain).enable", session: session) }
        return page
    }

    /// Events received so far for `session` whose method is in `methods`.
    func events(session: String, methods: Set<String>) -> [[String: Any]] {
        lock.withLock { events.filter { ($0["sessionId"] as? String) == session && methods.contains($0["method"] as? String ?? "") } }
    }

    /// Asks the browser to quit, then makes sure it has.
    public func close() async {
        _ = try? await send("Browser.close", timeout: 5)
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                let deadline = Date().addingTimeInterval(10)
                while process.isRunning && Date() < deadline { usleep(20_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
        profile.remove()
    }

    /// The end of the browser's own log, for failure messages.
    public var logTail: String {
        String(((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").suffix(1500))
    }

    private func fail(_ id: Int, _ error: any Error) {
        let continuation = lock.withLock { pending.removeValue(forKey: id) }
        continuation?.resume(throwing: error)
    }

    /// Splits the reply stream on NUL bytes; answers resume their callers, events are kept.
    private func readLoop() {
        var buffer = Data()
        while true {
            let chunk = output.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let end = buffer.firstIndex(of: 0) {
                let message = buffer[buffer.startIndex..<end]
                buffer = Data(buffer[(end + 1)...])
                guard let object = (try? JSONSerialization.jsonObject(with: message)) as? [String: Any] else { continue }
                if let id = object["id"] as? Int {
                    let continuation = lock.withLock { pending.removeValue(forKey: id) }
                    continuation?.resume(returning: Data(message))
                } else {
                    lock.withLock {
                        if events.count < 10_000 { events.append(object) }
                    }
                }
            }
        }
        let waiting = lock.withLock { () -> [CheckedContinuation<Data, any Error>] in
            exited = true
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for continuation in waiting { continuation.resume(throwing: Failure(description: "chromium has exited: \(logTail)")) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
