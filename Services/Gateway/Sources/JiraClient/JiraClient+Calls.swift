import Foundation

extension JiraClient {
    /// The fields SmartTicket reads from an issue.
    public static func issueFields(storyPointsField: String?) -> [String] {
        ["summary", "description", "components", "labels", "priority", "status", "assignee", "project", "created", "updated",
         "resolutiondate"] + (storyPointsField.map { [$0] } ?? [])
    }

    /// `GET /rest/api/3/myself`: the connecting account.
    public func myself() async throws -> JiraUser {
        let json = try await getJSON("/rest/api/3/myself", template: "GET /rest/api/3/myself")
        guard let user = JiraUser(json: json) else {
            throw JiraError(status: 200, message: "the answer has no accountId", call: "GET /rest/api/3/myself")
        }
        return user
    }

    /// `GET /rest/api/3/mypermissions`: which of `permissions` the account has (in `projectKey`, if given).
    public func permissions(_ permissions: [String], projectKey: String? = nil) async throws -> [String: Bool] {
        var query = [URLQueryItem(name: "permissions", value: permissions.joined(separator: ","))]
        if let projectKey { query.append(URLQueryItem(name: "projectKey", value: projectKey)) }
        let json = try await getJSON("/rest/api/3/mypermissions", template: "GET /rest/api/3/mypermissions", query: query)
        var result: [String: Bool] = [:]
        for (key, value) in json["permissions"].object ?? [:] { result[key] = value["havePermission"].bool ?? false }
        return result
    }

    /// `GET /rest/api/3/project/search` for `keys` (every page).
    public func projects(keys: [String]) async throws -> [JiraProject] {
        var projects: [JiraProject] = []
        var startAt = 0
        while true {
            var query = [URLQueryItem(name: "startAt", value: String(startAt)), URLQueryItem(name: "maxResults", value: "50")]
            for key in keys { query.append(URLQueryItem(name: "keys", value: key)) }
            let json = try await getJSON("/rest/api/3/project/search", template: "GET /rest/api/3/project/search", query: query)
            let values = json["values"].array ?? []
            projects += values.compactMap(JiraProject.init(json:))
            startAt += values.count
            if values.isEmpty || json["isLast"].bool ?? true { return projects }
        }
    }

    /// `GET /rest/api/3/field`.
    public func fields() async throws -> [JiraField] {
        let json = try await getJSON("/rest/api/3/field", template: "GET /rest/api/3/field")
        return (json.array ?? []).compactMap(JiraField.init(json:))
    }

    /// The id of the story points field, found by name (it differs per site): `Story Points`, else
    /// `Story point estimate` (team-managed projects).
    public func storyPointsField() async throws -> String? {
        let fields = try await fields()
        for name in ["story points", "story point estimate"] {
            if let field = fields.first(where: { $0.name.lowercased() == name }) { return field.id }
        }
        return nil
    }

    /// `GET /rest/api/3/search/jql`, following `nextPageToken` until the last page; `onPage` gets each
    /// page's issues. With `expand: "changelog"` each issue carries its recent changelog (complete ones
    /// land in ``JiraIssue/changelog``). Returns how many issues there were.
    @discardableResult
    public func search(jql: String, fields: [String], expand: String? = nil, pageSize: Int = 100, storyPointsField: String?,
                       onPage: ([JiraIssue]) async throws -> Void) async throws -> Int {
        var token: String?
        var seenTokens = Set<String>()
        var count = 0
        repeat {
            var query = [URLQueryItem(name: "jql", value: jql), URLQueryItem(name: "maxResults", value: String(pageSize)),
                         URLQueryItem(name: "fields", value: fields.joined(separator: ","))]
            if let expand { query.append(URLQueryItem(name: "expand", value: expand)) }
            if let token { query.append(URLQueryItem(name: "nextPageToken", value: token)) }
            let json = try await getJSON("/rest/api/3/search/jql", template: "GET /rest/api/3/search/jql", query: query)
            let issues = (json["issues"].array ?? []).compactMap { JiraIssue(json: $0, storyPointsField: storyPointsField) }
            count += issues.count
            try await onPage(issues)
            token = json["isLast"].bool == true ? nil : json["nextPageToken"].string
            if let token, !seenTokens.insert(token).inserted {
                throw JiraError(status: 200, message: "the same nextPageToken came twice", call: "GET /rest/api/3/search/jql")
            }
        } while token != nil
        return count
    }

    /// `GET /rest/api/3/issue/{key}`.
    public func issue(_ key: String, fields: [String], storyPointsField: String?) async throws -> JiraIssue {
        let json = try await getJSON("/rest/api/3/issue/\(Self.pathSegment(key))", template: "GET /rest/api/3/issue/{key}",
                                     query: [URLQueryItem(name: "fields", value: fields.joined(separator: ","))])
        guard let issue = JiraIssue(json: json, storyPointsField: storyPointsField) else {
            throw JiraError(status: 200, message: "the answer is not an issue", call: "GET /rest/api/3/issue/{key}")
        }
        return issue
    }

    /// `GET /rest/api/3/issue/{key}/changelog`, every page.
    public func changelog(_ key: String) async throws -> [JiraChangelogEntry] {
        var entries: [JiraChangelogEntry] = []
        var startAt = 0
        while true {
            let json = try await getJSON("/rest/api/3/issue/\(Self.pathSegment(key))/changelog",
                                         template: "GET /rest/api/3/issue/{key}/changelog",
                                         query: [URLQueryItem(name: "startAt", value: String(startAt)),
                                                 URLQueryItem(name: "maxResults", value: "100")])
            let values = json["values"].array ?? []
            entries += values.compactMap(JiraChangelogEntry.init(json:))
            startAt += values.count
            let total = json["total"].number.map(Int.init)
            if values.isEmpty || json["isLast"].bool == true || (total.map { startAt >= $0 } ?? false) { return entries }
        }
    }

    /// `GET /rest/api/3/user/assignable/search?project=KEY`: a bare array, paged by `startAt` until a
    /// short page. Only active people (no apps) are returned.
    public func assignableUsers(project: String, pageSize: Int = 100) async throws -> [JiraUser] {
        var users: [JiraUser] = []
        var startAt = 0
        while true {
            let json = try await getJSON("/rest/api/3/user/assignable/search", template: "GET /rest/api/3/user/assignable/search",
                                         query: [URLQueryItem(name: "project", value: project),
                                                 URLQueryItem(name: "startAt", value: String(startAt)),
                                                 URLQueryItem(name: "maxResults", value: String(pageSize))])
            let page = json.array ?? []
            users += page.compactMap(JiraUser.init(json:))
            startAt += page.count
            if page.count < pageSize || startAt >= 10_000 { break }
        }
        return users.filter { $0.active && ($0.accountType ?? "atlassian") == "atlassian" }
    }

    /// `PUT /rest/api/3/issue/{key}/assignee` (204). A 429 is retried (Jira did not apply it). After a
    /// 503 or a lost answer the outcome is unknown, so the issue is read back first and the write is
    /// sent again only if the assignee is still not `accountId`.
    public func assign(_ key: String, accountId: String?) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["accountId": accountId as Any? ?? NSNull()])
        var attempts = 0
        while true {
            do {
                _ = try await send("PUT", "/rest/api/3/issue/\(Self.pathSegment(key))/assignee",
                                   template: "PUT /rest/api/3/issue/{key}/assignee", body: body, retry: .rateLimitedOnly)
                return
            } catch let error as JiraError where (error.status == 0 || error.status == 503) && attempts < policy.maxRetries {
                attempts += 1
                let current = try await issue(key, fields: ["assignee", "project"], storyPointsField: nil)
                if current.assignee?.accountId == accountId { return }
                try await Task.sleep(nanoseconds: UInt64(policy.delay(retry: attempts, retryAfter: nil) * 1e9))
            }
        }
    }

    /// `POST /rest/api/3/issue/{key}/comment` (201) with `document` (an ADF document) as the body. Sent again only
    /// after a 429 (Jira did not apply it): after a 503 or a lost answer the comment may exist, and a second one would
    /// repeat it, so the error is thrown.
    public func addComment(_ key: String, document: [String: Any]) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["body": document])
        _ = try await send("POST", "/rest/api/3/issue/\(Self.pathSegment(key))/comment",
                           template: "POST /rest/api/3/issue/{key}/comment", body: body, retry: .rateLimitedOnly)
    }

    /// A path segment, percent-encoded.
    static func pathSegment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}
