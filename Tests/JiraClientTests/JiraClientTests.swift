import Foundation
import Harness
import JiraClient
import Observability
import Testing
import TestSupport

/// The Jira client against the fake Jira site: paging, parsing, rate limits, concurrency, errors.
@Suite struct JiraClientTests {
    static let day = 86_400.0
    static let start = Date(timeIntervalSince1970: 1_704_189_600)   // 2024-01-02T10:00:00Z

    static func site() throws -> FakeJira {
        let jira = try FakeJira()
        jira.addProject("ED", name: "Example")
        jira.addUser("acc-ana", "Ana", assignableIn: ["ED"])
        jira.addUser("acc-bo", "Bo", assignableIn: ["ED"])
        jira.addUser("acc-cy", "Cy", assignableIn: [])
        return jira
    }

    static func client(_ jira: FakeJira, policy: RetryPolicy = RetryPolicy(baseDelay: 0.01)) -> JiraClient {
        // A fresh URL per test keeps each test's site limiter its own (limiters are per scheme, host and port).
        JiraClient(site: URL(string: jira.baseURL)!, credentials: JiraCredentials(basicEmail: "bot@example.com", token: "api-token-123"),
                   policy: policy, logger: Logger(label: "test", sink: .discard))
    }

    @Test func searchFollowsNextPageTokenAndParsesFields() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        jira.maxPageSize = 3
        for index in 1...7 {
            jira.put(.init(key: "ED-\(index)", project: "ED", summary: "Ticket \(index)", description: "Crash in `parser.swift` number \(index)",
                           assignee: index % 2 == 0 ? "acc-ana" : nil, statusCategory: index <= 3 ? "done" : "new",
                           created: Self.start, updated: Self.start.addingTimeInterval(Double(index) * 60),
                           resolved: index <= 3 ? Self.start.addingTimeInterval(Double(index) * 60) : nil,
                           components: ["API"], labels: ["backend"], storyPoints: Double(index)))
        }
        let client = Self.client(jira)
        let field = try await client.storyPointsField()
        #expect(field == jira.storyPointsField)
        var pages: [[JiraIssue]] = []
        let count = try await client.search(jql: JQL.projects(["ED"]) + " ORDER BY updated ASC",
                                            fields: JiraClient.issueFields(storyPointsField: field), storyPointsField: field) { pages.append($0) }
        #expect(count == 7)
        #expect(pages.map(\.count) == [3, 3, 1])
        let searches = jira.requests.filter { $0.path == "/rest/api/3/search/jql" }
        #expect(searches.count == 3)
        #expect(searches[0].query["nextPageToken"] == nil)
        #expect(searches[1].query["nextPageToken"] != nil)
        #expect(searches.allSatisfy { $0.query["startAt"] == nil })
        let issues = pages.flatMap { $0 }
        #expect(issues.map(\.key) == (1...7).map { "ED-\($0)" })
        let second = issues[1].ticket
        #expect(second.description == "Crash in `parser.swift` number 2" || second.description.contains("parser.swift"))
        #expect(second.storyPoints == 2)
        #expect(second.assignee == "acc-ana")
        #expect(second.status == .done)
        #expect(second.resolved == Self.start.addingTimeInterval(120))
        #expect(second.components == ["API"] && second.labels == ["backend"] && second.priority == "Medium")
        #expect(issues[6].ticket.status == .todo && issues[6].ticket.resolved == nil)
    }

    @Test func theRemovedSearchAnswers410WithJirasMessage() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        let error = await #expect(throws: JiraError.self) {
            _ = try await Self.client(jira).send("GET", "/rest/api/3/search", template: "GET /rest/api/3/search",
                                                 query: [URLQueryItem(name: "jql", value: "project = ED")], retry: .always)
        }
        #expect(error?.status == 410)
        #expect(error?.message.contains("migrate to the /rest/api/3/search/jql API") == true)
    }

    @Test func retryAfterIsHonouredAsAMinimum() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        jira.put(.init(key: "ED-1", project: "ED", summary: "One", created: Self.start))
        jira.failNext([(429, "1"), (503, "1")])
        let client = Self.client(jira)
        let started = Date()
        let issue = try await client.issue("ED-1", fields: ["summary"], storyPointsField: nil)
        #expect(issue.summary == "One")
        #expect(Date().timeIntervalSince(started) >= 2.0)
        #expect(client.stats.retries == 2 && client.stats.rateLimited == 2)
        #expect(jira.requests.count == 3)
    }

    @Test func givesUpAfterFourRetriesWithAClearMessage() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        jira.failNext(Array(repeating: (429, nil), count: 6))
        let error = await #expect(throws: JiraError.self) { _ = try await Self.client(jira).myself() }
        #expect(error?.status == 429)
        #expect(error?.description.contains("Rate limit exceeded") == true)
        #expect(jira.requests.count == 5)   // the first attempt and 4 retries
    }

    @Test func atMostFiveRequestsInFlightPerSite() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        jira.responseDelay = 0.1
        jira.put(.init(key: "ED-1", project: "ED", summary: "One", created: Self.start))
        let client = Self.client(jira)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try await client.issue("ED-1", fields: ["summary"], storyPointsField: nil) } }
            try await group.waitForAll()
        }
        #expect(jira.requests.count == 20)
        #expect(jira.peakConcurrency <= 5)
        #expect(await client.limiter.peakInFlight == 5)
    }

    @Test func aWriteIsCheckedBeforeItIsSentAgain() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        jira.put(.init(key: "ED-1", project: "ED", summary: "One", created: Self.start))
        jira.failNext([(503, nil)])
        try await Self.client(jira).assign("ED-1", accountId: "acc-bo")
        #expect(jira.requests.map { "\($0.method) \($0.path)" } == [
            "PUT /rest/api/3/issue/ED-1/assignee", "GET /rest/api/3/issue/ED-1", "PUT /rest/api/3/issue/ED-1/assignee",
        ])
        #expect(jira.requests.last?.body == #"{"accountId":"acc-bo"}"#)
        #expect(jira.issue("ED-1")?.assignee == "acc-bo")
    }

    @Test func jiraErrorBodiesBecomeMessages() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        jira.put(.init(key: "ED-1", project: "ED", summary: "One", created: Self.start))
        let client = Self.client(jira)
        let refused = await #expect(throws: JiraError.self) { try await client.assign("ED-1", accountId: "acc-cy") }
        #expect(refused?.status == 400)
        #expect(refused?.message == "assignee: User 'acc-cy' cannot be assigned issues.")
        let wrongToken = JiraClient(site: URL(string: jira.baseURL)!, credentials: JiraCredentials(basicEmail: "bot@example.com", token: "wrong"),
                                    logger: Logger(label: "test", sink: .discard))
        let unauthorized = await #expect(throws: JiraError.self) { _ = try await wrongToken.myself() }
        #expect(unauthorized?.status == 401)
        #expect(unauthorized?.message == "Client must be authenticated to access this resource.")
        #expect(JiraError.message(status: 400, body: Data(#"{"errorMessages":[],"errors":{"PERMISSION_123":"Unrecognized permission"}}"#.utf8))
                == "PERMISSION_123: Unrecognized permission")
        #expect(JiraError.message(status: 502, body: Data("<html>bad gateway</html>".utf8)) == "HTTP 502")
    }

    @Test func redirectsAreNotFollowedSoCredentialsStayWithTheSite() async throws {
        let elsewhere = try FakeHTTPServer()
        defer { elsewhere.stop() }
        elsewhere.setFallback { _ in .init(status: 200, body: #"{"accountId":"stolen"}"#) }
        let site = try FakeHTTPServer()
        defer { site.stop() }
        site.setFallback { _ in .init(status: 302, headers: [("Location", "\(elsewhere.baseURL)/rest/api/3/myself")], body: "") }
        let client = JiraClient(site: URL(string: site.baseURL)!, credentials: JiraCredentials(bearer: "secret-oauth-token"),
                                logger: Logger(label: "test", sink: .discard))
        let error = await #expect(throws: JiraError.self) { _ = try await client.myself() }
        #expect(error?.status == 302)
        #expect(elsewhere.requests.isEmpty)
        #expect(site.requests.first?.header("authorization") == "Bearer secret-oauth-token")
    }

    @Test func aConnectionReadsItsTokenFromAFileOrTheEnvironment() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        jira.acceptedAuthorizations.insert("Bearer oauth-access-token")
        let bearer = JiraConnection(site: jira.baseURL, email: nil, scheme: .bearer, tokenFile: nil, tokenEnv: "JIRA_TOKEN_FOR_TEST",
                                    projects: ["ED"])
        let credentials = try bearer.credentials(environment: ["JIRA_TOKEN_FOR_TEST": "oauth-access-token\n"])
        #expect(!String(describing: credentials).contains("oauth-access-token"))
        let client = JiraClient(site: try bearer.siteURL(), credentials: credentials, logger: Logger(label: "test", sink: .discard))
        #expect(try await client.myself().accountId == jira.serviceAccountId)
        #expect(jira.requests.last?.authorization == "Bearer oauth-access-token")
        #expect(throws: JiraError.self) { _ = try bearer.credentials(environment: [:]) }
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        FileManager.default.createFile(atPath: directory.file("token"), contents: Data("api-token-123\n".utf8))
        let basic = JiraConnection(site: jira.baseURL, email: "bot@example.com", scheme: .basic, tokenFile: directory.file("token"), tokenEnv: nil,
                                   projects: ["ED"])
        let stored = String(decoding: try basic.encoded(), as: UTF8.self)
        #expect(!stored.contains("api-token-123"))
        let decoded = try JiraConnection.decode(try basic.encoded())
        #expect(decoded.tokenFile == basic.tokenFile && decoded.email == basic.email && decoded.scheme == .basic && decoded.projects == ["ED"])
        let fromFile = JiraClient(site: try decoded.siteURL(), credentials: try decoded.credentials(), logger: Logger(label: "test", sink: .discard))
        #expect(try await fromFile.myself().timeZone == "Europe/Berlin")
        #expect(throws: JiraError.self) { _ = try JiraConnection.validateSite("ftp://example.com") }
        #expect(throws: JiraError.self) { _ = try JiraConnection.validateSite("https://user:pw@example.com") }
    }

    @Test func usersProjectsPermissionsAndChangelog() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        jira.put(.init(key: "ED-1", project: "ED", summary: "One", created: Self.start))
        jira.reassign("ED-1", to: "acc-ana", by: "acc-bo")
        jira.reassign("ED-1", to: "acc-bo", by: "acc-bo")
        jira.granted.remove("ASSIGN_ISSUES")
        let client = Self.client(jira)
        #expect(try await client.myself().accountId == jira.serviceAccountId)
        #expect(try await client.assignableUsers(project: "ED", pageSize: 1).map(\.accountId) == ["acc-ana", "acc-bo"])
        #expect(try await client.projects(keys: ["ED"]).map(\.name) == ["Example"])
        let permissions = try await client.permissions(["ASSIGN_ISSUES", "BROWSE_PROJECTS"], projectKey: "ED")
        #expect(permissions == ["ASSIGN_ISSUES": false, "BROWSE_PROJECTS": true])
        jira.inlineChangelogLimit = 1
        jira.put(.init(key: "ED-2", project: "ED", summary: "Two", created: Self.start))
        jira.reassign("ED-2", to: "acc-bo", by: "acc-ana")
        var inline: [String: [JiraChangelogEntry]?] = [:]
        try await client.search(jql: JQL.projects(["ED"]), fields: ["summary"], expand: "changelog", storyPointsField: nil) { page in
            for issue in page { inline[issue.key] = issue.changelog }
        }
        #expect(inline["ED-2"]??.compactMap(\.assigneeChange?.to) == ["acc-bo"])   // complete inline
        #expect(inline["ED-1"] == .some(nil))   // two changes, one inline: fetch it
        let changes = try await client.changelog("ED-1").compactMap(\.assigneeChange)
        #expect(changes.map(\.from) == [nil, "acc-ana"])
        #expect(changes.map(\.to) == ["acc-ana", "acc-bo"])
    }

    @Test func parsesTheFixtureShapes() throws {
        // Tests/Fixtures/jira: the shapes of the real API.
        let search = try #require(JSONValue.parse(Data(contentsOf: TestFixtures.jira("jira-search-jql-response.json"))))
        let issue = try #require(JiraIssue(json: search["issues"].array![0], storyPointsField: "customfield_10016"))
        #expect(issue.key == "ED-1" && issue.project == "ED")
        #expect(issue.description == "Main order flow broken")
        #expect(issue.storyPoints == 3)
        #expect(issue.created == Date(timeIntervalSince1970: 1_704_189_600))
        #expect(issue.ticket.status == .todo && issue.ticket.assignee == nil)
        let webhook = try #require(JSONValue.parse(Data(contentsOf: TestFixtures.jira("jira-webhook-issue_updated-assigned.json"))))
        let updated = try #require(JiraIssue(json: webhook["issue"], storyPointsField: nil))
        #expect(updated.assignee?.accountId == "5b912e21fa38ae2c896099ae")
        #expect(updated.hasDescriptionField && updated.description == nil)
        let forge = try #require(JSONValue.parse(Data(contentsOf: TestFixtures.jira("forge-avi-jira-created-issue.json"))))
        let created = try #require(JiraIssue(json: forge["issue"], storyPointsField: nil))
        #expect(created.key == "SP-10" && !created.hasDescriptionField)
        #expect(JiraIssue.init(json: .object(["key": .string("X-1"), "fields": .object(["description": .string("h2. Title\n{code:java}int x;{code}")])]),
                               storyPointsField: nil)?.description == "h2. Title\n{code:java}int x;{code}")
        #expect(JSONValue.parse(Data(#"{"a":true,"b":0,"c":1.5,"d":"x","e":null,"f":[false,"y"]}"#.utf8)) == .object([
            "a": .bool(true), "b": .number(0), "c": .number(1.5), "d": .string("x"), "e": .null, "f": .array([.bool(false), .string("y")]),
        ]))
        #expect(JSONValue.parse(Data("not json".utf8)) == nil)
        #expect(JQL.quote(#"a "b" \c"#) == #""a \"b\" \\c""#)
        #expect(JQL.date(Date(timeIntervalSince1970: 1_704_189_600), timeZone: "Europe/Berlin") == "\"2024/01/02 11:00\"")
        #expect(RetryPolicy.parseRetryAfter("30") == 30)
        #expect(RetryPolicy(baseDelay: 1).delay(retry: 3, retryAfter: nil, random: 1) == 4)
        #expect(RetryPolicy().delay(retry: 1, retryAfter: 7, random: 0) == 7)
    }
}
