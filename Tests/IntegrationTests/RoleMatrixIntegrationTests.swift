import Contracts
import Foundation
import Harness
import Testing

/// The full role matrix of issue 6: every API route x viewer/member/admin x own/other project x
/// own/other tenant (plus no token), each with the status the rules give, on one running system.
/// Every answer is also checked against the OpenAPI document.
@Suite(.serialized) struct RoleMatrixIntegrationTests {
    struct Principal: CustomStringConvertible {
        let tenant: String
        let role: Role
        let project: String
        let token: String?
        var ownTenant: Bool { tenant == "demo" }
        var ownProject: Bool { project == "ZK" }
        var description: String { token == nil ? "nobody" : "\(role.rawValue) of \(project) in \(tenant)" }
    }

    /// What a route needs, which decides the expected status for each principal.
    enum Need {
        /// No token needed.
        case none
        /// A role in the ticket's project (the ticket is looked up first: 404 in another tenant).
        case ticket(Role)
        /// A role in the project of the path or body (403 for too small a role, 404 when the project is not there).
        case project(Role)
        /// Any role anywhere; `elsewhere` is the status in a tenant without the data.
        case anyRole(elsewhere: Int)
        /// Admin of `*`.
        case everyProjectAdmin
        /// An admin of a project the person works in (or the person themself).
        case personAdmin
        /// Admin of the projects in the JSONL body (ZK).
        case importAdmin
        /// A role in ZK at least as high as the token asked for (viewer): a token's scope is capped by its maker's roles.
        case tokenScope
        /// The token's owner or an admin of `*`: nobody in the matrix (someone else's token is not found, 404).
        case tokenOwner
    }

    struct Row {
        let method: String
        let path: (Fixture) -> String
        var body: ((Int) -> Any)? = nil
        let need: Need
        var success = 200
    }

    struct Fixture {
        var person = ""
        var plan = ""
        var token = ""
    }

    static func expected(_ need: Need, _ principal: Principal, success: Int) -> Int {
        guard principal.token != nil else { if case .none = need { return success } else { return 401 } }
        switch need {
        case .none:
            return success
        case .ticket(let minimum):
            guard principal.ownTenant, principal.ownProject else { return 404 }
            return principal.role >= minimum ? success : 403
        case .project(let minimum):
            guard principal.ownProject else { return 404 }
            guard principal.role >= minimum else { return 403 }
            return principal.ownTenant ? success : 404
        case .anyRole(let elsewhere):
            return principal.ownTenant ? success : elsewhere
        case .everyProjectAdmin:
            return 403
        case .personAdmin:
            guard principal.role == .admin else { return 403 }
            guard principal.ownTenant else { return 404 }
            return principal.ownProject ? success : 403   // the person works in ZK, not in OTHER
        case .importAdmin:
            return principal.role == .admin && principal.ownProject ? success : 403
        case .tokenScope:
            return principal.ownProject ? success : 403
        case .tokenOwner:
            return 404
        }
    }

    static var rows: [Row] { [
        Row(method: "GET", path: { _ in "/api/v1/openapi.json" }, need: .none),
        Row(method: "GET", path: { _ in "/api/v1/projects" }, need: .anyRole(elsewhere: 200)),
        Row(method: "GET", path: { _ in "/api/v1/projects/ZK/settings" }, need: .project(.viewer)),
        Row(method: "GET", path: { _ in "/api/v1/projects/ZK/decisions" }, need: .project(.viewer)),
        Row(method: "GET", path: { _ in "/api/v1/projects/ZK/quality?weeks=4" }, need: .project(.viewer)),
        Row(method: "GET", path: { _ in "/api/v1/projects/ZK/roles" }, need: .project(.admin)),
        Row(method: "GET", path: { _ in "/api/v1/audit?project=ZK&limit=5" }, need: .project(.admin)),
        Row(method: "GET", path: { _ in "/api/v1/audit?limit=5" }, need: .everyProjectAdmin),
        Row(method: "GET", path: { _ in "/api/v1/tickets?project=ZK&limit=5" }, need: .project(.viewer)),
        Row(method: "GET", path: { _ in "/api/v1/tickets/ZK-1200" }, need: .ticket(.viewer)),
        Row(method: "GET", path: { _ in "/api/v1/tickets/ZK-1200/decisions" }, need: .ticket(.viewer)),
        Row(method: "GET", path: { _ in "/api/v1/metrics?project=ZK" }, need: .project(.viewer)),
        Row(method: "GET", path: { _ in "/api/v1/skills/custom" }, need: .anyRole(elsewhere: 200)),
        Row(method: "POST", path: { _ in "/api/v1/skills/detect" },
            body: { _ in ["title": "Leader election stalls", "description": "", "components": [String](), "labels": [String]()] },
            need: .anyRole(elsewhere: 200)),
        Row(method: "GET", path: { _ in "/api/v1/people?limit=5" }, need: .anyRole(elsewhere: 200)),
        Row(method: "GET", path: { "/api/v1/people/\(OpenAPIClient.segment($0.person))" }, need: .anyRole(elsewhere: 404)),
        Row(method: "GET", path: { "/api/v1/people/\(OpenAPIClient.segment($0.person))/skills" }, need: .anyRole(elsewhere: 404)),
        // Only the person themselves or a `*` admin: nobody in this matrix (PersonExportIntegrationTests checks those two).
        Row(method: "GET", path: { "/api/v1/people/\(OpenAPIClient.segment($0.person))/export" }, need: .everyProjectAdmin),
        // Erasure: `*` admins only, none in this matrix (PersonErasureIntegrationTests erases as one).
        Row(method: "DELETE", path: { "/api/v1/people/\(OpenAPIClient.segment($0.person))" }, need: .everyProjectAdmin),
        Row(method: "GET", path: { "/api/v1/projects/ZK/rebalance/\($0.plan)" }, need: .project(.viewer)),
        Row(method: "POST", path: { _ in "/api/v1/projects/ZK/rebalance" }, need: .project(.admin), success: 201),
        Row(method: "POST", path: { "/api/v1/projects/ZK/rebalance/\($0.plan)/apply" }, need: .project(.admin)),
        Row(method: "POST", path: { "/api/v1/projects/ZK/rebalance/\($0.plan)/undo" }, need: .project(.admin)),
        Row(method: "PUT", path: { _ in "/api/v1/projects/ZK/settings" },
            body: { _ in ["weights": ["skillFit": 1.0], "autoAssign": false, "confidenceThreshold": 0.25, "staleDays": 30, "candidatePool": "recent"] },
            need: .project(.admin)),
        Row(method: "PATCH", path: { _ in "/api/v1/projects/ZK/settings" }, body: { _ in ["staleDays": 21] }, need: .project(.admin)),
        Row(method: "PUT", path: { _ in "/api/v1/projects/ZK/roles/zoe" }, body: { _ in ["role": "viewer"] }, need: .project(.admin)),
        Row(method: "DELETE", path: { _ in "/api/v1/projects/ZK/roles/zoe" }, need: .project(.admin), success: 204),
        Row(method: "POST", path: { _ in "/api/v1/tickets" },
            body: { index in ["key": "ZK-\(90_000 + index)", "project": "ZK", "title": "Matrix ticket \(index)"] },
            need: .project(.member), success: 201),
        Row(method: "PATCH", path: { _ in "/api/v1/tickets/ZK-1200" }, body: { _ in ["labels": ["matrix"]] }, need: .ticket(.member)),
        Row(method: "GET", path: { _ in "/api/v1/tickets/ZK-1200/recommendations" }, need: .ticket(.viewer)),
        Row(method: "POST", path: { _ in "/api/v1/tickets/ZK-1200/recommendations" }, need: .ticket(.member)),
        Row(method: "POST", path: { _ in "/api/v1/tickets/ZK-1200/assignment" }, body: { _ in ["assignee": "Michael Han", "reason": "matrix"] },
            need: .ticket(.member)),
        Row(method: "POST", path: { _ in "/api/v1/whatif" }, body: { _ in ["project": "ZK", "weights": [["similarWork": 1.0], ["fairness": 1.0]]] },
            need: .project(.member)),
        Row(method: "PATCH", path: { "/api/v1/people/\(OpenAPIClient.segment($0.person))" }, body: { _ in ["weeklyCapacity": 12] },
            need: .personAdmin),
        Row(method: "PUT", path: { _ in "/api/v1/skills/custom" }, body: { _ in ["items": [Any]()] }, need: .everyProjectAdmin),
        Row(method: "POST", path: { _ in "/api/v1/import" },
            body: { index in #"{"key":"ZK-\#(80_000 + index)","project":"ZK","title":"Imported in the matrix","description":"","components":[],"labels":[],"assignee":null,"created":"2026-01-05T10:00:00Z","resolved":null,"status":"todo"}"# + "\n" },
            need: .importAdmin),
        Row(method: "POST", path: { _ in "/api/v1/tokens" }, body: { index in ["name": "matrix-\(index)", "ttl": "1h", "roles": ["ZK": "viewer"]] },
            need: .tokenScope, success: 201),
        Row(method: "GET", path: { _ in "/api/v1/tokens" }, need: .anyRole(elsewhere: 200)),
        Row(method: "DELETE", path: { "/api/v1/tokens/\($0.token)" }, need: .tokenOwner, success: 204),
        Row(method: "DELETE", path: { _ in "/api/v1/tenant" }, need: .everyProjectAdmin),
    ] }

    @Test func everyRouteByRoleProjectAndTenant() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", OpenAPIClient.demoData])
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)

        var principals: [Principal] = [Principal(tenant: "demo", role: .viewer, project: "ZK", token: nil)]
        for tenant in ["demo", "intruder"] {
            for role in Role.allCases {
                for project in ["ZK", "OTHER"] {
                    let token = try await OpenAPIClient.token(system, tenant: tenant, subject: "\(tenant)-\(role.rawValue)-\(project)",
                                                              role: role.rawValue, project: project)
                    principals.append(Principal(tenant: tenant, role: role, project: project, token: token))
                }
            }
        }
        let root = try await OpenAPIClient.token(system, tenant: "demo", subject: "root", role: "admin")
        // The other project exists with a ticket of its own, so "other project" principals have real data somewhere else.
        let other = #"{"key":"OTHER-1","project":"OTHER","title":"Another team's ticket","description":"","components":[],"labels":[],"assignee":null,"created":"2026-01-05T10:00:00Z","resolved":null,"status":"todo"}"#
        #expect(try await api.call("POST", "/api/v1/import", token: root, body: other + "\n").object["created"] as? Int == 1)
        var fixture = Fixture()
        fixture.person = try #require((try await api.call("GET", "/api/v1/people?limit=1", token: root)).items.first?["id"] as? String)
        fixture.plan = try #require((try await api.call("POST", "/api/v1/projects/ZK/rebalance", token: root)).object["id"] as? String)
        fixture.token = try #require((try await api.call("POST", "/api/v1/tokens", token: root,
                                                         body: ["name": "root's", "ttl": "1h", "roles": ["*": "viewer"]])).object["id"] as? String)

        // The table covers every documented operation under /api/v1.
        let paths = try #require(api.validator?.document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) \(path)" } })
            .filter { $0.split(separator: " ")[1].hasPrefix("/api/v1/") }
        let covered = Set(Self.rows.map { "\($0.method) \(api.pattern(for: $0.path(fixture)) ?? "?")" })
        #expect(covered == documented, "missing: \(documented.subtracting(covered).sorted()), extra: \(covered.subtracting(documented).sorted())")

        var checked = 0
        let rows = Self.rows
        for row in rows {
            let path = row.path(fixture)
            for (index, principal) in principals.enumerated() {
                let reply = try await api.call(row.method, path, token: principal.token, body: row.body?(index))
                let want = Self.expected(row.need, principal, success: row.success)
                #expect(reply.status == want, "\(row.method) \(path) as \(principal): \(reply.status), expected \(want) \(reply.text.prefix(200))")
                if reply.status >= 400 { #expect(reply.errorCode != nil, "\(row.method) \(path) as \(principal): error body") }
                checked += 1
                // What a principal sees of lists never includes another tenant's or project's data.
                if row.method == "GET" && path == "/api/v1/projects" && reply.status == 200 {
                    let keys = reply.items.compactMap { $0["key"] as? String }
                    #expect(keys == (principal.ownTenant ? [principal.project] : []), "\(principal) sees \(keys)")
                }
                if row.method == "GET" && path.hasPrefix("/api/v1/people?") && !principal.ownTenant {
                    #expect(reply.items.isEmpty, "\(principal) sees people of another tenant")
                }
            }
        }
        #expect(checked == rows.count * principals.count)
        // Their own project stays reachable to the other project's principals.
        let otherViewer = try #require(principals.first { $0.ownTenant && !$0.ownProject && $0.role == .viewer })
        #expect(try await api.call("GET", "/api/v1/tickets/OTHER-1", token: otherViewer.token).status == 200)

        // The other tenant's `*` admin may uninstall their own tenant; ours is untouched.
        let intruderRoot = try await OpenAPIClient.token(system, tenant: "intruder", subject: "boss", role: "admin")
        #expect(try await api.call("DELETE", "/api/v1/tenant", token: intruderRoot).status == 200)
        #expect(try await api.call("GET", "/api/v1/tickets/ZK-1200", token: root).status == 200)
        let importer = try #require(principals.firstIndex { $0.ownTenant && $0.ownProject && $0.role == .admin && $0.token != nil })
        #expect(try await api.call("GET", "/api/v1/tickets/ZK-\(80_000 + importer)", token: root).status == 200, "our import is still there")
        #expect(await system.stop() == 0)
    }
}
