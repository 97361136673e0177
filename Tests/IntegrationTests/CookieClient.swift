import Foundation
import Harness

/// A browser's HTTP side without a browser, for the sign-in tests: `curl` requests that follow no redirect, with a
/// cookie jar kept from the `Set-Cookie` answers (by name; `Max-Age=0` removes).
struct CookieClient {
    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        /// The `Set-Cookie` header that sets (or clears) cookie `name`.
        func setCookie(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix(name + "=") }?.1
        }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    var jar: [String: String] = [:]

    mutating func send(_ method: String, _ url: String, headers: [String: String] = [:], body: String? = nil,
                       cookies: Bool = true) async throws -> Answer {
        var arguments = ["-s", "-i", "--max-time", "30", "-X", method, url]
        var all = headers
        if cookies, !jar.isEmpty { all["Cookie"] = jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        for (name, value) in all { arguments += ["-H", "\(name): \(value)"] }
        if let body { arguments += ["--data-binary", body] }
        let result = try await ProcessRunner.run("/usr/bin/curl", arguments)
        guard result.status == 0 else { throw SystemError("curl \(method) \(url) failed: \(result.stderr)") }
        let parts = result.stdout.components(separatedBy: "\r\n\r\n")
        let head = parts[0].components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var answerHeaders: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            answerHeaders.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        for (name, value) in answerHeaders where name.lowercased() == "set-cookie" {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            if value.contains("Max-Age=0") { jar.removeValue(forKey: String(pair[0])) } else { jar[String(pair[0])] = String(pair[1]) }
        }
        return Answer(status: status, headers: answerHeaders, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}
