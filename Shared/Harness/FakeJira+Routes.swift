import Foundation
import HTTP

extension FakeJira {
    func answer(_ request: HTTPRequest) async -> HTTPResponse {
        let query = Self.parseQuery(request.query)
        let (delay, limited) = locked { () -> (Double, (Int, String?)?) in
            inFlight += 1
            peak = max(peak, inFlight)
            counter += 1
            if !rateLimitQueue.isEmpty {
                let next = rateLimitQueue.removeFirst()
                return (responseDelay, (next.status, next.retryAfter))
            }
            // A storm: every nth request is refused, but a request refused once passes when it comes back,
            // so the storm slows clients down without starving any one request.
            let signature = "\(request.method) \(request.path)?\(request.query ?? "")"
            if rateLimitEvery > 0 && counter % rateLimitEvery == 0 && limitedOnce.insert(signature).inserted {
                return (responseDelay, (429, rateLimitRetryAfter))
            }
            limitedOnce.remove(signature)
            return (responseDelay, nil)
        }
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        let response: HTTPResponse
        if let (status, retryAfter) = limited {
            var headers = [("Content-Type", "application/json"), ("X-RateLimit-Limit", "100"), ("X-RateLimit-Remaining", "0"),
                           ("RateLimit-Reason", "jira-quota-based")]
            if let retryAfter { headers.append(("Retry-After", retryAfter)) }
            response = HTTPResponse(status: status, headers: headers,
                                    body: Array(#"{"errorMessages":["Rate limit exceeded."],"errors":{}}"#.utf8))
        } else if !locked({ acceptedAuthorizations.contains(request.header("authorization") ?? "") }) {
            response = HTTPResponse(status: 401, headers: [("Content-Type", "text/plain")], body: Array("Client must be authenticated to access this resource.".utf8))
        } else {
            response = route(request, query)
        }
        locked {
            inFlight -= 1
            received.append(Received(method: request.method, path: request.path, query: query, authorization: request.header("authorization"),
                                     body: String(decoding: request.body, as: UTF8.self), status: response.status))
        }
        return response
    }

    private func route(_ request: HTTPRequest, _ query: [String: String]) -> HTTPResponse {
        let parts = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        guard parts.count >= 4, parts[0] == "rest", parts[1] == "api", ["2", "3", "latest"].contains(parts[2]) else {   // Jira serves `latest` too (the Python client uses it for writes)
            return Self.error(404, ["Not found"])
        }
        let rest = Array(parts.dropFirst(3))
        switch (request.method, rest.first ?? "", rest.count) {
        case ("GET", "search", 1), ("POST", "search", 1):
            return Self.error(410, ["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"])
        case ("GET", "search", 2) where rest[1] == "jql":
            return search(query)
        case ("GET", "issue", 2):
            return locked { issues[rest[1]] }.map { Self.json(render($0, fields: query["fields"], expand: query["expand"])) } ?? Self.error(404, ["Issue does not exist or you do not have permission to see it."])
        case ("GET", "issue", 3) where rest[2] == "changelog":
            return changelog(rest[1], query)
        case ("PUT", "issue", 3) where rest[2] == "assignee":
            return assign(rest[1], request)
        case ("POST", "issue", 3) where rest[2] == "comment":
            return comment(rest[1], request)
        case ("GET", "user", 3) where rest[1] == "assignable" && rest[2] == "search":
            return assignableUsers(query)
        case ("GET", "user", 2) where rest[1] == "search":
            let needle = (query["query"] ?? "").lowercased()
            let found = locked { users.values.filter { $0.accountId.lowercased() == needle || $0.displayName.lowercased().contains(needle) } }
            return Self.json(found.sorted { $0.accountId < $1.accountId }.map(userJSON))
        case ("GET", "project", 2) where rest[1] == "search":
            return projectSearch(query)
        case ("GET", "myself", 1):
            return Self.json(locked { userJSON(users[serviceAccountId]!) })
        case ("GET", "mypermissions", 1):
            guard let wanted = query["permissions"], !wanted.isEmpty else {
                return Self.error(400, ["The permissions parameter is required."])
            }
            var permissions: [String: Any] = [:]
            for key in wanted.split(separator: ",").map(String.init) {
                permissions[key] = ["id": "0", "key": key, "name": key, "type": "PROJECT", "description": "", "havePermission": locked { granted.contains(key) }]
            }
            return Self.json(["permissions": permissions])
        case ("GET", "field", 1):
            return Self.json([
                ["id": "summary", "key": "summary", "name": "Summary", "custom": false, "clauseNames": ["summary"]],
                ["id": "assignee", "key": "assignee", "name": "Assignee", "custom": false, "clauseNames": ["assignee"]],
                ["id": "customfield_10016", "key": "customfield_10016", "name": "Rank", "custom": true, "clauseNames": ["cf[10016]"]],
                ["id": storyPointsField, "key": storyPointsField, "name": "Story Points", "custom": true, "clauseNames": ["Story Points"]],
            ] as [[String: Any]])
        case ("GET", "serverInfo", 1):
            return Self.json(["baseUrl": baseURL, "version": "1001.0.0-SNAPSHOT", "versionNumbers": [1001, 0, 0],
                              "deploymentType": "Cloud", "buildNumber": 100_000, "serverTitle": "Fake Jira"] as [String: Any])
        default:
            return Self.error(404, ["No route for \(request.method) \(request.path)"])
        }
    }

    private func search(_ query: [String: String]) -> HTTPResponse {
        let jql = query["jql"] ?? ""
        let filter: JQLFilter
        do {
            filter = try JQLFilter(jql, timeZone: locked { timeZone })
        } catch {
            return Self.error(400, ["Error in the JQL Query: \(error)"])
        }
        let offset: Int
        if let token = query["nextPageToken"] {
            guard let decoded = Data(base64Encoded: token).map({ String(decoding: $0, as: UTF8.self) }), decoded.hasPrefix("offset:"),
                  let value = Int(decoded.dropFirst(7)) else { return Self.error(400, ["Invalid nextPageToken."]) }
            offset = value
        } else {
            offset = 0
        }
        let size = min(Int(query["maxResults"] ?? "50") ?? 50, locked { maxPageSize })
        // Sort keys, not issues (copying thousands of issues is slow in a debug build).
        let matching = locked { issues.values.filter(filter.matches).map { ($0.updated, $0.key) } }.sorted { $0 < $1 }
        let page = locked { matching.dropFirst(offset).prefix(size).compactMap { issues[$0.1] } }
        var body: [String: Any] = ["issues": page.map { render($0, fields: query["fields"], expand: query["expand"]) }]
        let isLast = offset + page.count >= matching.count
        body["isLast"] = isLast
        if !isLast { body["nextPageToken"] = Data("offset:\(offset + page.count)".utf8).base64EncodedString() }
        return Self.json(body)
    }

    private func changelog(_ key: String, _ query: [String: String]) -> HTTPResponse {
        guard let changes = locked({ issues[key] == nil ? nil : changelogs[key] ?? [] }) else {
            return Self.error(404, ["Issue does not exist or you do not have permission to see it."])
        }
        let startAt = Int(query["startAt"] ?? "0") ?? 0
        let maxResults = min(Int(query["maxResults"] ?? "100") ?? 100, 100)
        let page = changes.dropFirst(startAt).prefix(maxResults)
        let values = historiesJSON(Array(page))
        return Self.json(["startAt": startAt, "maxResults": maxResults, "total": changes.count,
                          "isLast": startAt + page.count >= changes.count, "values": values] as [String: Any])
    }

    private func assign(_ key: String, _ request: HTTPRequest) -> HTTPResponse {
        guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
            return Self.error(400, ["Unexpected body."])
        }
        return locked {
            guard let issue = issues[key] else { return Self.error(404, ["Issue does not exist or you do not have permission to see it."]) }
            if let status = assignmentRefusals[key] {
                return Self.error(status, status == 403 ? ["You do not have permission to edit this issue."]
                                                        : ["The issue cannot be assigned right now (HTTP \(status))."])
            }
            guard granted.contains("ASSIGN_ISSUES") else { return Self.error(403, ["You do not have permission to assign issues."]) }
            let accountId = body["accountId"] as? String
            if let accountId, !(assignable[issue.project] ?? []).contains(accountId) {
                return Self.error(400, [], errors: ["assignee": "User '\(accountId)' cannot be assigned issues."])
            }
            applyAssignee(key, accountId, author: serviceAccountId, at: Date())
            return HTTPResponse(status: 204)
        }
    }

    /// `POST /rest/api/3/issue/{key}/comment` with `{"body": <ADF document>}`: 201 with the comment, kept in order.
    private func comment(_ key: String, _ request: HTTPRequest) -> HTTPResponse {
        guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let document = body["body"] as? [String: Any], document["type"] as? String == "doc" else {
            return Self.error(400, [], errors: ["comment": "Comment body is not valid ADF."])
        }
        return locked {
            guard issues[key] != nil else { return Self.error(404, ["Issue does not exist or you do not have permission to see it."]) }
            counter += 1
            let comment = Comment(id: String(counter), author: serviceAccountId, document: document)
            comments[key, default: []].append(comment)
            return HTTPResponse(status: 201, headers: [("Content-Type", "application/json")],
                                body: Array((try? JSONSerialization.data(withJSONObject: ["id": comment.id, "body": document])) ?? Data()))
        }
    }

    private func assignableUsers(_ query: [String: String]) -> HTTPResponse {
        guard let project = query["project"] ?? query["issueKey"].map({ String($0.split(separator: "-").first ?? "") }) else {
            return Self.error(400, ["One of the following parameters must be specified: issueKey, project."])
        }
        let startAt = Int(query["startAt"] ?? "0") ?? 0
        let maxResults = min(Int(query["maxResults"] ?? "50") ?? 50, 1000)
        let list: [[String: Any]] = locked {
            guard projects.contains(where: { $0.key == project }) else { return [] }
            return (assignable[project] ?? []).compactMap { users[$0] }.map(userJSON)
        }
        guard locked({ projects.contains(where: { $0.key == project }) }) else { return Self.error(404, ["No project could be found with key '\(project)'."]) }
        return Self.json(Array(list.dropFirst(startAt).prefix(maxResults)))
    }

    private func projectSearch(_ query: [String: String]) -> HTTPResponse {
        let keys = (query["keys"] ?? "").split(separator: ",").map(String.init)
        let all = locked { projects }.filter { keys.isEmpty || keys.contains($0.key) }
        let startAt = Int(query["startAt"] ?? "0") ?? 0
        let maxResults = min(Int(query["maxResults"] ?? "50") ?? 50, 50)
        let page = all.dropFirst(startAt).prefix(maxResults)
        return Self.json(["startAt": startAt, "maxResults": maxResults, "total": all.count, "isLast": startAt + page.count >= all.count,
                          "values": page.map { ["id": $0.id, "key": $0.key, "name": $0.name, "projectTypeKey": "software"] }] as [String: Any])
    }

    /// Changelog entries in Jira's shape.
    func historiesJSON(_ changes: [Change]) -> [[String: Any]] {
        let names = locked { users.mapValues(\.displayName) }
        return changes.map { change in
            ["id": change.id, "author": ["accountId": change.author, "active": true], "created": Self.jiraDate(change.created),
             "items": [["field": "assignee", "fieldtype": "jira", "fieldId": "assignee", "from": change.from as Any? ?? NSNull(),
                        "fromString": change.from.flatMap { names[$0] } as Any? ?? NSNull(),
                        "to": change.to as Any? ?? NSNull(),
                        "toString": change.to.flatMap { names[$0] } as Any? ?? NSNull()]]]
        }
    }

    func render(_ issue: Issue, fields requested: String?, expand: String? = nil) -> [String: Any] {
        let wanted = Set((requested ?? "*all").split(separator: ",").map(String.init))
        let all = wanted.contains("*all") || wanted.contains("*navigable")
        let (assignee, projectName, pointsField) = locked {
            (issue.assignee.flatMap { users[$0] }.map(userJSON), projects.first { $0.key == issue.project }?.name ?? issue.project, storyPointsField)
        }
        let values: [String: Any] = [
            "summary": issue.summary,
            "description": issue.descriptionJSON.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed]) } ?? NSNull(),
            "assignee": assignee ?? NSNull(),
            "status": ["name": issue.statusCategory == "done" ? "Done" : issue.statusCategory == "new" ? "To Do" : "In Progress",
                       "statusCategory": ["key": issue.statusCategory]],
            "priority": issue.priority.map { ["id": "3", "name": $0] } ?? NSNull(),
            "labels": issue.labels,
            "components": issue.components.enumerated().map { ["id": String(10_000 + $0.offset), "name": $0.element] },
            "issuetype": ["id": "10001", "name": "Bug", "subtask": false],
            "project": ["id": "10000", "key": issue.project, "name": projectName],
            "created": Self.jiraDate(issue.created),
            "updated": Self.jiraDate(issue.updated),
            "resolutiondate": issue.resolved.map(Self.jiraDate) ?? NSNull(),
            pointsField: issue.storyPoints ?? NSNull() as Any,
        ]
        var fields: [String: Any] = [:]
        for (name, value) in values where all || wanted.contains(name) { fields[name] = value }
        var rendered: [String: Any] = ["expand": "", "id": issue.id, "key": issue.key, "self": "\(baseURL)/rest/api/3/issue/\(issue.id)",
                                       "fields": fields]
        if (expand ?? "").split(separator: ",").contains("changelog") {
            // Inline: the most recent entries first, at most `inlineChangelogLimit` of them; `total` tells there are more.
            let (changes, limit) = locked { (changelogs[issue.key] ?? [], inlineChangelogLimit) }
            rendered["changelog"] = ["startAt": 0, "maxResults": limit, "total": changes.count,
                                     "histories": historiesJSON(Array(changes.reversed().prefix(limit)))] as [String: Any]
        }
        return rendered
    }

    func userJSON(_ user: User) -> [String: Any] {
        // Cloud hides e-mails by default; the field is still sent empty for most accounts.
        ["self": "\(baseURL)/rest/api/3/user?accountId=\(user.accountId)", "accountId": user.accountId, "accountType": "atlassian",
         "displayName": user.displayName, "active": user.active, "timeZone": locked { timeZone }, "emailAddress": ""]
    }

    static func json(_ object: Any) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("null".utf8)
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json;charset=UTF-8")], body: Array(data))
    }

    static func error(_ status: Int, _ messages: [String], errors: [String: String] = [:]) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: ["errorMessages": messages, "errors": errors] as [String: Any],
                                                 options: [.sortedKeys])) ?? Data()
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json;charset=UTF-8")], body: Array(data))
    }

    static func parseQuery(_ query: String?) -> [String: String] {
        var items: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            guard let key = parts.first else { continue }
            let value = parts.count > 1 ? parts[1] : ""
            items[key] = items[key].map { "\($0),\(value)" } ?? value   // repeated keys (keys=A&keys=B) join with commas
        }
        return items
    }
}
