import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import Testing
import TestSupport

/// What the panel's view tests share: a demo system with tokens, an API client that reports statuses, and a team that
/// has been working: open tickets ranked and assigned (most to the first suggestion), so People, Rebalance and Quality
/// have something to show whatever day the demo history ends.
struct PanelScenario {
    let system: RunningSystem
    let base: String
    let admin: String

    /// The navigation links the issue names, in order.
    static let navigation = ["Tickets", "Team", "People", "Rebalance", "What-if", "Quality", "Audit", "Settings", "Tokens"]

    static func start() async throws -> PanelScenario {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", PanelBrowserTests.demo])
        let base = try #require(system.url)
        let admin = try await PanelBrowserTests().token(system, subject: "ada", role: "admin")
        return PanelScenario(system: system, base: base, admin: admin)
    }

    func token(subject: String, role: String, project: String = "*") async throws -> String {
        try await PanelBrowserTests().token(system, subject: subject, role: role, project: project)
    }

    /// Calls the API; the status and the JSON body (an object, or `{"items": [...]}` for an array).
    @discardableResult
    func call(_ method: String, _ path: String, token: String? = nil, body: Any? = nil) async throws -> (status: Int, json: [String: Any]) {
        var request = URLRequest(url: URL(string: base + path.dropFirst())!)
        request.httpMethod = method
        request.setValue("Bearer \(token ?? admin)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data)
        return (status, object as? [String: Any] ?? (object as? [Any]).map { ["items": $0] } ?? [:])
    }

    /// A path segment for an id (people's ids have spaces).
    static func segment(_ id: String) -> String { OpenAPIClient.segment(id) }

    /// Ranks and assigns `count` open tickets of ZK (creating more when there are too few): each to the first suggestion,
    /// except those in `overridden`, given to the second. Returns the tickets and their assignees.
    @discardableResult
    func assignOpenWork(count: Int, overridden: Set<Int>) async throws -> [(ticket: String, assignee: String)] {
        var open = try #require(try await call("GET", "/api/v1/tickets?project=ZK&status=todo,in_progress&limit=200").json["items"] as? [[String: Any]])
        if open.count < count {
            let done = try #require(try await call("GET", "/api/v1/tickets?project=ZK&status=done&limit=100").json["items"] as? [[String: Any]])
            for (index, model) in done.prefix(count - open.count).enumerated() {
                let created = try await call("POST", "/api/v1/tickets", body: [
                    "key": "ZK-\(7000 + index)", "project": "ZK", "title": model["title"] as? String ?? "A new ticket",
                    "description": model["description"] as? String ?? "", "components": model["components"] as? [String] ?? []])
                #expect(created.status == 201, "\(created.json)")
                open.append(created.json)
            }
        }
        var assigned: [(String, String)] = []
        for (index, ticket) in open.prefix(count).enumerated() {
            let key = try #require(ticket["key"] as? String)
            let ranked = try await call("POST", "/api/v1/tickets/\(key)/recommendations")
            let people = (ranked.json["candidates"] as? [[String: Any]] ?? []).compactMap { ($0["person"] as? [String: Any])?["id"] as? String }
            try #require(people.count >= 2, "\(key): \(ranked.json)")
            let chosen = overridden.contains(index) ? people[1] : people[0]
            let answer = try await call("POST", "/api/v1/tickets/\(key)/assignment", body: ["assignee": chosen])
            #expect(answer.status == 200, "\(key): \(answer.json)")
            assigned.append((key, chosen))
        }
        return assigned
    }

    /// Clicks the navigation link named `name` (exactly its text).
    static func navigate(_ page: ChromiumPage, to name: String) async throws {
        let index = try #require(try await page.int("[...document.querySelectorAll('#nav a')].findIndex(a => a.textContent === \(ChromiumPage.quote(name)))"))
        try #require(index >= 0, "no navigation link named \(name)")
        try await page.click("#nav li:nth-child(\(index + 1)) a")
        try await page.waitFor("document.querySelector('#nav a[aria-current=page]')?.textContent === \(ChromiumPage.quote(name)) "
            + "&& document.querySelector('main h1') && !document.querySelector('main > .loading')", what: "the \(name) view")
    }

    /// Every field labelled and every control named, axe-core's WCAG A/AA rules when it is installed.
    static func checkAccessibility(_ page: ChromiumPage, _ view: String, axe: String?) async throws {
        let unnamed = try await page.unnamedControls()
        #expect(unnamed.isEmpty, "\(view): fields without a label or controls without a name: \(unnamed)")
        guard let axe else {
            print("\(view): axe-core is not installed (scripts/install-deps installs it): labels and names checked only")
            return
        }
        let violations = try await page.axeViolations(source: axe)
        #expect(try await page.string("axe.version")?.hasPrefix("4.") == true, "axe-core ran")
        #expect(violations?.isEmpty == true, "\(view): axe-core found \(violations ?? [])")
    }
}
