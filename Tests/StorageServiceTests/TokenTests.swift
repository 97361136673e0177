import Contracts
import Foundation
import RPC
import Testing
@testable import StorageService

/// The register of token ids on each engine: registered, listed by owner and kind, revoked once (idempotent, first
/// revocation kept), an unknown id revoked only when asked to register it, another owner's token not revocable as
/// theirs, revocation seen by every store sharing the database at once, kept across reopening, gone with the tenant.
@Suite struct TokenTests {
    let now = Date(timeIntervalSince1970: 1_900_000_000)

    func record(_ id: String, owner: String = "ada", name: String = "ci", kind: StorageContract.TokenKind = .api, age: Double = 0)
        -> StorageContract.TokenRecord {
        .init(id: id, owner: owner, name: name, kind: kind.rawValue, roles: ["ENG": "viewer", "*": "member"],
              createdAt: now.addingTimeInterval(-age), expiresAt: now.addingTimeInterval(3600))
    }

    @Test(arguments: DatabaseEngine.allCases) func registeredTokensAreListedNewestFirstByOwnerAndKind(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.putToken("acme", record("t-old", age: 60))
            _ = try await store.putToken("acme", record("t-new"))
            _ = try await store.putToken("acme", record("t-bob", owner: "bob", kind: .cli, age: 30))
            _ = try await store.putToken("other", record("t-other"))
            let all = try await store.listTokens("acme", .init())
            #expect(all.map(\.id) == ["t-new", "t-bob", "t-old"])
            #expect(all[0] == record("t-new"))
            #expect(try await store.listTokens("acme", .init(owner: "ada")).map(\.id) == ["t-new", "t-old"])
            #expect(try await store.listTokens("acme", .init(kinds: ["cli"])).map(\.id) == ["t-bob"])
            #expect(try await store.listTokens("other", .init()).map(\.id) == ["t-other"])
            await #expect(throws: RPCError(.alreadyExists, "a token with this id is already registered")) {
                try await store.putToken("acme", record("t-new", owner: "mallory"))
            }
            #expect(try await store.listTokens("acme", .init(owner: "ada")).first?.owner == "ada")
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func revokingIsIdempotentAndKeepsTheFirstRevocation(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.putToken("acme", record("t1"))
            #expect(try await store.tokenState("acme", .init(id: "t1")) == .init(revoked: false))
            let first = try await store.revokeToken("acme", .init(id: "t1", by: "ada"), now: now)
            #expect(first.changed && first.token.revokedAt == now && first.token.revokedBy == "ada")
            #expect(try await store.tokenState("acme", .init(id: "t1")) == .init(revoked: true))
            #expect(try store.tokenStateOnCallingThread("acme", .init(id: "t1")) == .init(revoked: true))
            let again = try await store.revokeToken("acme", .init(id: "t1", by: "root"), now: now.addingTimeInterval(60))
            #expect(!again.changed && again.token.revokedAt == now && again.token.revokedBy == "ada")
            // Another tenant's token of the same id is another token.
            #expect(try await store.tokenState("other", .init(id: "t1")) == .init(revoked: false))
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func onlyTheOwnerOrAnyoneWithoutOwnerRevokes(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.putToken("acme", record("t1", owner: "ada"))
            await #expect(throws: RPCError.notFound("token not found")) {
                try await store.revokeToken("acme", .init(id: "t1", by: "bob", owner: "bob"))
            }
            await #expect(throws: RPCError.notFound("token not found")) {
                try await store.revokeToken("acme", .init(id: "unknown", by: "ada", owner: "ada"))
            }
            await #expect(throws: RPCError.notFound("token not found")) { try await store.revokeToken("acme", .init(id: "unknown", by: "root")) }
            #expect(try await store.tokenState("acme", .init(id: "t1")) == .init(revoked: false))
            #expect(try await store.revokeToken("acme", .init(id: "t1", by: "ada", owner: "ada")).changed)
            // An id minted offline and never registered is recorded as revoked when asked to.
            let offline = try await store.revokeToken("acme", .init(id: "offline-1", by: "cli", registerIfMissing: true), now: now)
            #expect(offline.changed && offline.token.kind == "unregistered" && offline.token.revokedBy == "cli")
            #expect(try await store.tokenState("acme", .init(id: "offline-1")) == .init(revoked: true))
        }
    }

    /// Several storage instances (pods) share a PostgreSQL database: a revocation through one is seen by the other's
    /// very next check, with nothing cached.
    @Test func aRevocationThroughOneStoreIsSeenByAnotherAtOnce() async throws {
        try await withStore(on: .postgres) { store, database in
            let other = try await database.store()
            defer { other.close() }
            _ = try await store.putToken("acme", record("shared"))
            #expect(try other.tokenStateOnCallingThread("acme", .init(id: "shared")) == .init(revoked: false))
            _ = try await store.revokeToken("acme", .init(id: "shared", by: "ada"))
            #expect(try other.tokenStateOnCallingThread("acme", .init(id: "shared")) == .init(revoked: true))
            // And the other way round, for an id the first store never saw.
            _ = try await other.revokeToken("acme", .init(id: "offline", by: "cli", registerIfMissing: true))
            #expect(try store.tokenStateOnCallingThread("acme", .init(id: "offline")) == .init(revoked: true))
        }
    }

    /// SQLite keeps the revoked ids in memory: they are read again when the file is opened again.
    @Test func revokedIdsSurviveReopeningTheSQLiteFile() async throws {
        try await withTestDatabase(.sqlite) { database in
            let store = try await database.store()
            _ = try await store.putTenant("acme", .init(name: "Acme"))
            _ = try await store.putToken("acme", record("t1"))
            _ = try await store.putToken("acme", record("t2"))
            _ = try await store.revokeToken("acme", .init(id: "t1", by: "ada"))
            #expect(store.revokedTokens.isKept)
            store.close()
            let reopened = try await database.store()
            defer { reopened.close() }
            #expect(try reopened.tokenStateOnCallingThread("acme", .init(id: "t1")) == .init(revoked: true))
            #expect(try reopened.tokenStateOnCallingThread("acme", .init(id: "t2")) == .init(revoked: false))
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func aPurgeDeletesTheTenantsTokens(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, database in
            _ = try await store.putTenant("other", .init(name: "Other"))
            for tenant in ["acme", "other"] {
                _ = try await store.putToken(tenant, record("t1"))
                _ = try await store.revokeToken(tenant, .init(id: "t1", by: "ada"))
            }
            _ = try await store.purgeTenant("acme")
            #expect(try await store.listTokens("acme", .init()).isEmpty)
            #expect(try await store.tokenState("acme", .init(id: "t1")) == .init(revoked: false))
            #expect(try await store.tokenState("other", .init(id: "t1")) == .init(revoked: true))
            let db = try database.openDatabase()
            defer { db.close() }
            #expect(try db.scalar("SELECT count(*) FROM api_tokens WHERE tenant = ?", [.text("acme")])?.int == 0)
        }
    }

    @Test(arguments: [
        (StorageContract.TokenRecord(id: "", owner: "ada", name: "ci", kind: "api", roles: [:], createdAt: Date(), expiresAt: nil),
         "id: must be 1 to 100 bytes"),
        (StorageContract.TokenRecord(id: "a/b", owner: "ada", name: "ci", kind: "api", roles: [:], createdAt: Date(), expiresAt: nil),
         "id: only letters, digits, `-` and `_`"),
        (StorageContract.TokenRecord(id: "t", owner: "", name: "ci", kind: "api", roles: [:], createdAt: Date(), expiresAt: nil),
         "owner: must not be empty"),
        (StorageContract.TokenRecord(id: "t", owner: "ada", name: "ci", kind: "robot", roles: [:], createdAt: Date(), expiresAt: nil),
         "kind: must be one of api, cli, session, unregistered"),
        (StorageContract.TokenRecord(id: "t", owner: "ada", name: "ci", kind: "api", roles: ["ENG": "owner"], createdAt: Date(), expiresAt: nil),
         "roles.ENG: must be one of admin, member, viewer"),
        (StorageContract.TokenRecord(id: "t", owner: "ada", name: "ci", kind: "api", roles: ["EN-G": "viewer"], createdAt: Date(), expiresAt: nil),
         "roles: only letters, digits, '_' and '.' are allowed (no '-': ticket keys are PROJECT-ID)"),
    ])
    func invalidRecordsNameTheField(record: StorageContract.TokenRecord, message: String) async throws {
        try await withStore { store, _ in
            await #expect(throws: RPCError.invalidArgument(message)) { try await store.putToken("acme", record) }
        }
    }
}
