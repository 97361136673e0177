import Foundation
import HTTP
import Observability

/// A fake Jira Cloud site on 127.0.0.1 for tests: a real HTTP server answering the REST API v3 calls
/// SmartTicket makes, in the shapes of the fixtures (`Tests/Fixtures/jira`): `search/jql` with
/// `nextPageToken` paging (no `startAt`/`total`), 410 on the removed `/search`, issues, changelogs,
/// assignable users (a bare array), projects, fields, myself, mypermissions, `PUT assignee` (204), `POST comment` (201),
/// plus `serverInfo` and `user/search` for the Python `jira` client. Scripted rate limiting (429 with
/// `Retry-After`), scripted refusals of one issue's assignment, and a log of every request received.
public final class FakeJira: @unchecked Sendable {
    /// One issue on the fake site.
    public struct Issue: Sendable {
        public var id: String
        public var key: String
        public var project: String
        public var summary: String
        /// The description as JSON text: an ADF object, a string (wiki markup), or nil.
        public var descriptionJSON: String?
        public var assignee: String?
        /// `new`, `indeterminate` or `done`.
        public var statusCategory: String
        public var created: Date
        public var updated: Date
        public var resolved: Date?
        public var components: [String]
        public var labels: [String]
        public var priority: String?
        public var storyPoints: Double?

        public init(key: String, project: String, summary: String, description: String? = nil, assignee: String? = nil,
                    statusCategory: String = "new", created: Date, updated: Date? = nil, resolved: Date? = nil,
                    components: [String] = [], labels: [String] = [], priority: String? = "Medium", storyPoints: Double? = nil) {
            id = String(10_000 + abs(key.hashValue % 89_999))
            self.key = key
            self.project = project
            self.summary = summary
            descriptionJSON = description.map(FakeJira.adf)
            self.assignee = assignee
            self.statusCategory = statusCategory
            self.created = created
            self.updated = updated ?? resolved ?? created
            self.resolved = resolved
            self.components = components
            self.labels = labels
            self.priority = priority
            self.storyPoints = storyPoints
        }
    }

    /// One recorded change of an issue's assignee.
    public struct Change: Sendable {
        public var id: String
        public var author: String
        public var created: Date
        public var from: String?
        public var to: String?
    }

    /// A comment added to an issue.
    public struct Comment: @unchecked Sendable {
        public var id: String
        public var author: String
        /// The ADF document as received (JSON objects; read only).
        public var document: [String: Any]

        /// The text of every text node, in order, joined by newlines between paragraphs and list items.
        public var text: String {
            func walk(_ node: [String: Any]) -> String {
                if node["type"] as? String == "text" { return node["text"] as? String ?? "" }
                let children = (node["content"] as? [[String: Any]] ?? []).map(walk)
                let block = ["paragraph", "listItem"].contains(node["type"] as? String ?? "")
                return children.joined(separator: block ? "" : "\n")
            }
            return walk(document)
        }
    }

    /// A person on the site.
    public struct User: Sendable {
        public var accountId: String
        public var displayName: String
        public var email: String
        public var active: Bool
    }

    /// What the server was asked.
    public struct Received: Sendable {
        public var method: String
        public var path: String
        public var query: [String: String]
        public var authorization: String?
        public var body: String
        public var status: Int
    }

    let lock = NSRecursiveLock()   // helpers that lock call each other
    var issues: [String: Issue] = [:]
    var changelogs: [String: [Change]] = [:]
    var users: [String: User] = [:]
    var assignable: [String: [String]] = [:]
    var projects: [(id: String, key: String, name: String)] = []
    var received: [Received] = []
    var rateLimitEvery = 0
    var rateLimitRetryAfter: String?
    var limitedOnce: Set<String> = []
    var rateLimitQueue: [(status: Int, retryAfter: String?)] = []
    var assignmentRefusals: [String: Int] = [:]
    var comments: [String: [Comment]] = [:]
    var counter = 0
    var changeCounter = 100
    var inFlight = 0
    var peak = 0

    /// The accountId of the account SmartTicket connects as.
    public let serviceAccountId = "712020:svc-smart-ticket"
    /// Accepted `Authorization` header values (Basic e-mail:token and Bearer).
    public var acceptedAuthorizations: Set<String> = []
    /// The most issues one search page returns (Jira caps `maxResults`; small here to force paging).
    public var maxPageSize = 50
    /// The id of the story points field on this site (differs per site; found by name).
    public var storyPointsField = "customfield_10042"
    /// The time zone Jira reads JQL dates in (the account's).
    public var timeZone = "Europe/Berlin"
    /// Permissions the service account has.
    public var granted: Set<String> = ["BROWSE_PROJECTS", "ASSIGN_ISSUES", "ASSIGNABLE_USER"]
    /// The most changelog entries an issue carries inline with `expand=changelog`.
    public var inlineChangelogLimit = 40
    /// Delay before answering each request, to make concurrency observable.
    public var responseDelay = 0.0

    private var server: HTTPServer!
    public private(set) var port: UInt16 = 0

    public init(email: String = "bot@example.com", token: String = "api-token-123") throws {
        acceptedAuthorizations = ["Basic " + Data("\(email):\(token)".utf8).base64EncodedString()]
        users[serviceAccountId] = User(accountId: serviceAccountId, displayName: "SmartTicket", email: email, active: true)
        server = HTTPServer(logger: Logger(label: "fake-jira", sink: .discard)) { [self] request in
            await self.answer(request)
        }
        port = try server.start(host: "127.0.0.1", port: 0)
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func stop() { server.stop() }

    // MARK: Setting the site up

    public func addProject(_ key: String, name: String) {
        locked { projects.append((id: String(10_000 + projects.count), key: key, name: name)) }
    }

    /// Adds a person; `assignableIn` lists the projects where Jira lets them be assigned.
    public func addUser(_ accountId: String, _ displayName: String, email: String? = nil, active: Bool = true, assignableIn: [String]) {
        locked {
            users[accountId] = User(accountId: accountId, displayName: displayName, email: email ?? "\(accountId)@example.com", active: active)
            for project in assignableIn { assignable[project, default: []].append(accountId) }
        }
    }

    /// Adds or replaces an issue.
    public func put(_ issue: Issue) { locked { issues[issue.key] = issue } }

    /// Changes an issue's assignee as a person in Jira would (the changelog records it, `updated` moves).
    public func reassign(_ key: String, to accountId: String?, by author: String, at date: Date = Date()) {
        locked { applyAssignee(key, accountId, author: author, at: date) }
    }

    /// Updates an issue in place (`updated` set to `at`).
    public func update(_ key: String, at date: Date = Date(), _ change: @Sendable (inout Issue) -> Void) {
        locked {
            guard var issue = issues[key] else { return }
            change(&issue)
            issue.updated = date
            issues[key] = issue
        }
    }

    /// Every `nth` request is answered 429 (with `Retry-After` if given), though never the same request
    /// twice in a row; 0 turns it off.
    public func rateLimit(every nth: Int, retryAfter: String?) {
        locked {
            rateLimitEvery = nth
            rateLimitRetryAfter = retryAfter
        }
    }

    /// The next requests are answered with these statuses (429 or 503), in order.
    public func failNext(_ failures: [(status: Int, retryAfter: String?)]) { locked { rateLimitQueue += failures } }

    /// Every `PUT .../issue/KEY/assignee` for `key` is refused with `status` (400, 403, 404, 409, 503...)
    /// and Jira's error body, the issue unchanged; nil accepts them again.
    public func refuseAssignments(of key: String, status: Int?) { locked { assignmentRefusals[key] = status } }

    // MARK: Reading what happened

    /// Every request received, in order.
    public var requests: [Received] { locked { received } }

    /// The comments added to issue `key`, oldest first.
    public func comments(of key: String) -> [Comment] { locked { comments[key] ?? [] } }

    /// An issue as the site has it now.
    public func issue(_ key: String) -> Issue? { locked { issues[key] } }

    /// The most requests that were being answered at once.
    public var peakConcurrency: Int { locked { peak } }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// A one-paragraph ADF document holding `text`.
    static func adf(_ text: String) -> String {
        let document: [String: Any] = ["type": "doc", "version": 1, "content": [
            ["type": "paragraph", "content": [["type": "text", "text": text]]],
        ]]
        return String(decoding: try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self)
    }

    /// `2024-01-02T10:00:00.000+0000`, Jira's date format.
    public static func jiraDate(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var time = time_t(floor(seconds))
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = min(999, Int(((seconds - floor(seconds)) * 1000).rounded()))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, millis)
    }

    func applyAssignee(_ key: String, _ accountId: String?, author: String, at date: Date) {
        guard var issue = issues[key] else { return }
        let previous = issue.assignee
        guard previous != accountId else { return }
        issue.assignee = accountId
        issue.updated = date
        issues[key] = issue
        changeCounter += 1
        changelogs[key, default: []].append(Change(id: String(changeCounter), author: author, created: date, from: previous, to: accountId))
    }
}
