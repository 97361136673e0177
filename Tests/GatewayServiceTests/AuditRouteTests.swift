import Contracts
import Foundation
import HTTP
import Observability
import RPC
import Synchronization
import Testing
@testable import GatewayService

/// The audit trail in the gateway, against an in-process fake of storage: an admin change is recorded with its actor,
/// before and after (nothing when nothing changed), a change whose record cannot be written answers 503, and the
/// merged list of decisions and changes pages newest first through one cursor without repeating or skipping an item.
@Suite struct AuditRouteTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)

    /// What the fake storage holds and what it was asked to append.
    final class FakeStorage: Sendable {
        let settings = Mutex(ProjectSettings())
        let appended = Mutex<[StorageContract.AppendAuditRequest]>([])
        let auditFails = Atomic<Bool>(false)
        let decisions: [Decision]
        let changes: [StorageContract.AuditRecord]

        init(decisions: [Decision] = [], changes: [StorageContract.AuditRecord] = []) {
            self.decisions = decisions
            self.changes = changes
        }

        var router: Router {
            var router = Router()
            router.registerAsync(StorageContract.listRoles) { _, _ in StorageContract.RoleList(items: []) }
            // Every authenticated request asks whether its token was revoked: none is here.
            router.registerAsync(StorageContract.tokenState) { _, _ in StorageContract.TokenStateResponse(revoked: false) }
            router.registerAsync(StorageContract.getProject) { request, _ in
                Project(key: request.key, name: request.key, settings: self.settings.withLock { $0 })
            }
            router.registerAsync(StorageContract.putProject) { project, _ in
                self.settings.withLock { $0 = project.settings }
                return project
            }
            router.registerAsync(StorageContract.appendAudit) { request, _ in
                if self.auditFails.load(ordering: .relaxed) { throw RPCError(.unavailable, "database down") }
                let id = self.appended.withLock { list in
                    list.append(request)
                    return Int64(list.count)
                }
                return .init(id: id, at: Date(), actor: request.actor, kind: request.kind, project: request.project, target: request.target,
                             before: request.before, after: request.after)
            }
            // Newest first by id, before a kept id, `limit` at a time (what the audit list asks).
            router.registerAsync(StorageContract.listDecisions) { request, _ in
                let older = self.decisions.filter { request.beforeID == nil || $0.id < request.beforeID! }.sorted { $0.id > $1.id }
                let limit = request.limit ?? 100
                return .init(items: Array(older.prefix(limit)), next: older.count > limit ? "more" : nil)
            }
            router.registerAsync(StorageContract.listAudit) { request, _ in
                let older = self.changes.filter { request.beforeID == nil || $0.id < request.beforeID! }.sorted { $0.id > $1.id }
                let limit = request.limit ?? 100
                return .init(items: Array(older.prefix(limit)), next: older.count > limit ? "more" : nil)
            }
            return router
        }
    }

    static func routes(_ storage: FakeStorage) -> Routes {
        let logger = Logger(label: "test", sink: .discard)
        let idle = { (name: String) in RPCClient(service: name, socketPaths: ["/nonexistent/\(name).sock"]) }
        let api = API(storage: StorageClient(service: "storage", router: storage.router), skills: SkillsClient(idle("skills")),
                      scoring: ScoringClient(idle("scoring")), verifier: JWTVerifier(hmac: .init(secret: secret)), logger: logger)
        return Routes(api: api, backends: [], metrics: MetricsRegistry(), logger: logger)
    }

    static func request(_ method: String, _ path: String, query: String? = nil, subject: String = "ada", body: String? = nil) -> HTTPRequest {
        let token = TokenIssuer.issue(secret: secret, tenant: "acme", subject: subject, roles: ["*": .admin], ttl: 600)
        return HTTPRequest(method: method, path: path, query: query, headers: ["authorization": "Bearer \(token)", "content-type": "application/json"],
                           body: Array((body ?? "").utf8))
    }

    static func json(_ response: HTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    @Test func aSettingsChangeIsRecordedWithItsActorBeforeAndAfter() async throws {
        let storage = FakeStorage()
        let routes = Self.routes(storage)
        let answer = await routes.handle(Self.request("PATCH", "/api/v1/projects/ZK/settings", body: #"{"autoAssign": true}"#))
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        let record = try #require(storage.appended.withLock { $0 }.first)
        #expect(record.actor == "ada" && record.kind == "settings" && record.project == "ZK" && record.target == "ZK")
        let beforeJSON = try #require(record.before)
        let afterJSON = try #require(record.after)
        let before = try #require(try JSONSerialization.jsonObject(with: beforeJSON) as? [String: Any])
        let after = try #require(try JSONSerialization.jsonObject(with: afterJSON) as? [String: Any])
        #expect(before["autoAssign"] as? Bool == false && after["autoAssign"] as? Bool == true)
        #expect(before["weights"] != nil && after["staleDays"] as? Int == before["staleDays"] as? Int, "the whole settings, before and after")
        // The same settings again change nothing, and nothing is recorded.
        let again = await routes.handle(Self.request("PATCH", "/api/v1/projects/ZK/settings", body: #"{"autoAssign": true}"#))
        #expect(again.status == 200)
        #expect(storage.appended.withLock { $0.count } == 1)
    }

    @Test func aChangeWhoseRecordCannotBeWrittenAnswers503() async throws {
        let storage = FakeStorage()
        storage.auditFails.store(true, ordering: .relaxed)
        let answer = await Self.routes(storage).handle(Self.request("PATCH", "/api/v1/projects/ZK/settings", body: #"{"staleDays": 9}"#))
        #expect(answer.status == 503)
        let error = try #require(Self.json(answer)["error"] as? [String: Any])
        #expect(error["code"] as? String == "UNAVAILABLE")
        #expect((error["message"] as? String)?.contains("audit") == true, "\(error)")
        #expect(storage.settings.withLock { $0.staleDays } == 9, "the change itself stands; repeating it records it")
    }

    @Test func theMergedListPagesNewestFirstWithoutRepeatsOrGaps() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        // Decisions at even minutes, changes at odd ones: the two sources interleave.
        let decisions = (1...7).map { index in
            Decision(id: Int64(index), ticket: "ZK-\(index)", project: "ZK", mode: .manual, chosen: "ann", actor: "lead",
                     at: start.addingTimeInterval(Double(index * 120)), reason: "reason \(index)")
        }
        let changes = (1...5).map { index in
            StorageContract.AuditRecord(id: Int64(index), at: start.addingTimeInterval(Double(index * 120 + 60)), actor: "ada", kind: "role",
                                        project: "ZK", target: "p\(index)", before: nil, after: Data("\"viewer\"".utf8))
        }
        let routes = Self.routes(FakeStorage(decisions: decisions, changes: changes))
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let query = "project=ZK&limit=5" + (cursor.map { "&cursor=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
            let answer = await routes.handle(Self.request("GET", "/api/v1/audit", query: query))
            #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
            let body = Self.json(answer)
            let items = body["items"] as? [[String: Any]] ?? []
            #expect(items.count <= 5)
            seen += items.map { "\($0["kind"] as? String ?? "?")\($0["id"] as? Int ?? 0)" }
            cursor = body["next"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        let expected = (decisions.map { ("decision\($0.id)", $0.at) } + changes.map { ("role\($0.id)", $0.at) })
            .sorted { $0.1 > $1.1 }.map(\.0)
        #expect(seen == expected)
        #expect(pages == 3)
    }

    @Test func badParametersAreNamed() async throws {
        let routes = Self.routes(FakeStorage())
        for (query, parameter) in [("since=yesterday", "since"), ("kind=ticket", "kind"), ("mode=maybe", "mode"), ("limit=0", "limit"),
                                   ("limit=x", "limit"), ("cursor=bm9wZQ==", "cursor"), ("kind=role&mode=manual", "mode")] {
            let answer = await routes.handle(Self.request("GET", "/api/v1/audit", query: query))
            #expect(answer.status == 400, "\(query)")
            let message = (Self.json(answer)["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("`\(parameter)`"), "\(query): \(message)")
        }
    }

    @Test func cursorsRoundTrip() throws {
        let cursor = AuditCursor(decisionsBefore: 42, changesBefore: nil, decisionsDone: false, changesDone: true)
        #expect(try AuditCursor(cursor.encoded) == cursor)
        #expect(try AuditCursor(nil) == AuditCursor())
        #expect(try AuditCursor(AuditCursor(decisionsBefore: 9_223_372_036_854_775_807, changesBefore: 9_223_372_036_854_775_807).encoded).decisionsBefore
                == 9_223_372_036_854_775_807)
        #expect(throws: APIError.self) { try AuditCursor(Data("a1:-5:".utf8).base64EncodedString()) }
    }
}
