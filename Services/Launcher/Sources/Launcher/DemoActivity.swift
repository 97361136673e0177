import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTP

/// What a team did in the demo's last days, made through the API as a team would, so every view has something to show
/// on any day: someone near their capacity, someone on leave this week, open work across people, recommendations
/// taken, departed from (overrides) and still waiting. Runs once, on a demo tenant that has none of it yet.
struct DemoActivity {
    /// What was made.
    struct Summary: Equatable {
        var recommended = 0
        var assigned = 0
        var overridden = 0
    }

    /// The open tickets the activity works on; the newest ones (ZK-1188 and later) stay untouched for visitors.
    static let workedKeys = (1176...1187).map { "ZK-\($0)" }

    let base: String
    let token: String
    let session = URLSession(configuration: .ephemeral)

    /// Makes the activity unless a worked ticket already has decisions (a demo started again on the same data).
    func run(now: Date = Date()) async throws -> Summary {
        var summary = Summary()
        let decided = try await get("/api/v1/tickets/\(Self.workedKeys[0])/decisions")
        guard (decided["items"] as? [Any])?.isEmpty ?? true else { return summary }

        // The people who resolved most of the last 300 tickets: the team the activity involves.
        var resolved: [[String: Any]] = []
        var cursor: String?
        repeat {
            let page = try await get("/api/v1/tickets?project=ZK&status=done&limit=1000" + (cursor.map { "&cursor=\(Self.segment($0))" } ?? ""))
            resolved += page["items"] as? [[String: Any]] ?? []
            cursor = page["next"] as? String
        } while cursor != nil
        let recent = resolved.suffix(300).compactMap { $0["assignee"] as? String }
        let team = Dictionary(grouping: recent, by: { $0 }).sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            .prefix(5).map(\.key)
        guard team.count >= 3 else { return summary }
        let busy = team[0], away = team[1]

        // Busy holds three open tickets against a capacity of four; away is on leave this week.
        try await send("PATCH", "/api/v1/people/\(Self.segment(busy))", ["weeklyCapacity": 4])
        let calendar = Calendar(identifier: .iso8601)
        let monday = calendar.dateInterval(of: .weekOfYear, for: now)?.start ?? now
        let day = DateFormatter()
        day.calendar = calendar
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        try await send("PATCH", "/api/v1/people/\(Self.segment(away))",
                       ["timeOff": [["start": day.string(from: monday), "end": day.string(from: monday.addingTimeInterval(4 * 86_400)), "reason": "leave"]]])

        for (index, key) in Self.workedKeys.enumerated() {
            let ranking = try await send("POST", "/api/v1/tickets/\(key)/recommendations", nil)
            summary.recommended += 1
            let candidates = (ranking["candidates"] as? [[String: Any]] ?? []).compactMap { ($0["person"] as? [String: Any])?["id"] as? String }
            guard let first = candidates.first else { continue }
            let assignee: String
            switch index {
            case 0..<3: assignee = busy                                          // the lead gives busy their area's work
            case 3..<7: assignee = first                                         // the first suggestion taken
            case 7..<9: assignee = candidates.dropFirst().first ?? first         // someone else chosen
            default: continue                                                    // still waiting for someone
            }
            _ = try await send("POST", "/api/v1/tickets/\(key)/assignment",
                               ["assignee": assignee, "reason": assignee == first ? "demo: suggestion taken" : "demo: the lead chose"])
            summary.assigned += 1
            if assignee != first { summary.overridden += 1 }
        }
        return summary
    }

    private func get(_ path: String) async throws -> [String: Any] { try await send("GET", path, nil) }

    @discardableResult
    private func send(_ method: String, _ path: String, _ body: Any?) async throws -> [String: Any] {
        guard let url = URL(string: base.hasSuffix("/") ? String(base.dropLast()) + path : base + path) else {
            throw LauncherError("demo: bad URL for \(path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        switch await OutboundCall.perform(request, session: session, timeout: 30) {
        case .success(let answer) where (200..<300).contains(answer.status):
            return (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:]
        case .success(let answer):
            throw LauncherError("demo: \(method) \(path) answered \(answer.status): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        case .failure(let failure):
            throw LauncherError("demo: \(method) \(path) failed (\(failure))")
        }
    }

    /// `value` as one URL path segment.
    static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}
