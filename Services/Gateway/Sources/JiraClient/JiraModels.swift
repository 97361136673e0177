import Foundation
import Model

/// A Jira user as the API returns it (only what SmartTicket keeps: never the e-mail).
public struct JiraUser: Sendable, Equatable {
    public var accountId: String
    public var displayName: String
    public var active: Bool
    public var timeZone: String?
    /// `atlassian` for people, `app` for apps, `customer` for service-desk customers.
    public var accountType: String?

    public init(accountId: String, displayName: String, active: Bool = true, timeZone: String? = nil, accountType: String? = "atlassian") {
        self.accountId = accountId
        self.displayName = displayName
        self.active = active
        self.timeZone = timeZone
        self.accountType = accountType
    }

    public init?(json: JSONValue) {
        guard let id = json["accountId"].string, !id.isEmpty else { return nil }
        accountId = id
        displayName = json["displayName"].string ?? id
        active = json["active"].bool ?? true
        timeZone = json["timeZone"].string
        accountType = json["accountType"].string
    }

    /// A person, assignable, with the accountId as id.
    public var person: Person {
        Person(id: accountId, displayName: displayName, timeZone: timeZone, active: active, assignable: true)
    }
}

/// A project from `/project/search`.
public struct JiraProject: Sendable, Equatable {
    public var id: String
    public var key: String
    public var name: String

    public init?(json: JSONValue) {
        guard let key = json["key"].string else { return nil }
        id = json["id"].string ?? ""
        self.key = key
        name = json["name"].string ?? key
    }
}

/// A field from `/field`.
public struct JiraField: Sendable, Equatable {
    public var id: String
    public var name: String
    public var custom: Bool

    public init?(json: JSONValue) {
        guard let id = json["id"].string, let name = json["name"].string else { return nil }
        self.id = id
        self.name = name
        custom = json["custom"].bool ?? false
    }
}

/// One change set of an issue's changelog.
public struct JiraChangelogEntry: Sendable, Equatable {
    /// One changed field.
    public struct Item: Sendable, Equatable {
        public var field: String
        public var from: String?
        public var to: String?
    }

    public var id: String
    public var authorAccountId: String?
    public var created: Date?
    public var items: [Item]

    public init?(json: JSONValue) {
        guard let id = json["id"].string else { return nil }
        self.id = id
        authorAccountId = json["author"]["accountId"].string
        created = json["created"].string.flatMap(ISO8601.parse)
        items = (json["items"].array ?? []).map { item in
            Item(field: item["fieldId"].string ?? item["field"].string ?? "",
                 from: item["from"].string ?? item["tmpFromAccountId"].string,
                 to: item["to"].string ?? item["tmpToAccountId"].string)
        }
    }

    /// The assignee change in this entry (from, to), if any.
    public var assigneeChange: (from: String?, to: String?)? {
        guard let item = items.first(where: { $0.field == "assignee" }) else { return nil }
        return (item.from, item.to)
    }
}
