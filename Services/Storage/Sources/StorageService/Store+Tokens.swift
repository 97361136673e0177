import Contracts
import Foundation
import RPC

extension Store {
    /// Registers a token by its id (ALREADY_EXISTS when the id is taken). The token itself is never stored.
    public func putToken(_ tenant: String, _ record: StorageContract.TokenRecord) async throws -> StorageContract.TokenRecord {
        try Store.validate(record)
        let values: [SQLValue] = [
            .text(tenant), .text(record.id), .text(record.owner), .text(record.name), try Store.json(record.roles), .text(record.kind),
            .date(record.createdAt), .optionalDate(record.expiresAt), .optionalDate(record.revokedAt), .optional(record.revokedBy),
        ]
        let inserted = try await write { db in
            try db.run("""
                INSERT INTO api_tokens(tenant, id, owner, name, roles, kind, created_at, expires_at, revoked_at, revoked_by)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(tenant, id) DO NOTHING
                """, values)
        }
        guard inserted == 1 else { throw RPCError(.alreadyExists, "a token with this id is already registered") }
        if record.revokedAt != nil { revokedTokens.insert(tenant, record.id) }
        return record
    }

    /// The tenant's tokens (of one owner, of some kinds), newest first, at most 1,000.
    public func listTokens(_ tenant: String, _ request: StorageContract.ListTokensRequest) async throws -> [StorageContract.TokenRecord] {
        var filter = SQLFilter("SELECT \(Store.tokenColumns) FROM api_tokens WHERE tenant = ?", tenant: tenant)
        if let owner = request.owner { filter.and("owner = ?", .text(try Validation.identifier(owner, field: "owner"))) }
        let kinds = request.kinds ?? []
        for (index, kind) in kinds.enumerated() where StorageContract.TokenKind(rawValue: kind) == nil {
            throw RPCError.invalidArgument("kinds[\(index)]: must be one of \(Store.tokenKinds)")
        }
        filter.and("kind", in: kinds.map { .text($0) })
        let query = filter.sql + " ORDER BY created_at DESC, id LIMIT 1000"
        let values = filter.bindings
        return try await read { db in
            let statement = try db.prepare(query)
            try statement.bind(values)
            var items: [StorageContract.TokenRecord] = []
            while try statement.step() { items.append(try Store.tokenRecord(statement)) }
            return items
        }
    }

    /// Revokes a token by id, recording who did and when; idempotent (a revoked token keeps its first revocation).
    /// NOT_FOUND for an unknown id, or one `request.owner` does not own, unless `registerIfMissing` records an unknown
    /// id as revoked. Once this answers, every ``tokenState(_:_:)`` of any instance sharing the database says revoked.
    public func revokeToken(_ tenant: String, _ request: StorageContract.RevokeTokenRequest, now: Date = Date()) async throws
        -> StorageContract.RevokeTokenResponse {
        try Store.validateTokenID(request.id)
        _ = try Validation.identifier(request.by, field: "by")
        if let owner = request.owner { _ = try Validation.identifier(owner, field: "owner") }
        let register = request.registerIfMissing ?? false
        let found = try await write { db -> StorageContract.RevokeTokenResponse? in
            let select = "SELECT \(Store.tokenColumns) FROM api_tokens WHERE tenant = ? AND id = ?"
            var record = try Store.readToken(db, select, tenant, request.id)
            if record == nil, register, request.owner == nil {
                try db.run("""
                    INSERT INTO api_tokens(tenant, id, owner, name, roles, kind, created_at, expires_at, revoked_at, revoked_by)
                    VALUES(?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)
                    """, [.text(tenant), .text(request.id), .text(""), .text(""), .blob(Array("{}".utf8)),
                          .text(StorageContract.TokenKind.unregistered.rawValue), .date(now)])
                record = try Store.readToken(db, select, tenant, request.id)
            }
            guard let current = record, request.owner == nil || current.owner == request.owner else { return nil }
            if current.revokedAt == nil {
                try db.run("UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE tenant = ? AND id = ?",
                           [.date(now), .text(request.by), .text(tenant), .text(request.id)])
                return try Store.readToken(db, select, tenant, request.id).map { .init(token: $0, changed: true) }
            }
            return .init(token: current, changed: false)
        }
        guard let found else { throw RPCError.notFound("token not found") }
        revokedTokens.insert(tenant, request.id)
        return found
    }

    /// Whether the token `id` is revoked (an id never registered is not): every authenticated request's check, on the
    /// calling thread (the RPC connection's). On SQLite from memory, on PostgreSQL a primary-key lookup, so a
    /// revocation committed by any pod is seen at once.
    public func tokenStateOnCallingThread(_ tenant: String, _ request: StorageContract.TokenStateRequest) throws -> StorageContract.TokenStateResponse {
        try Store.validateTokenID(request.id)
        if let revoked = revokedTokens.contains(tenant, request.id) { return .init(revoked: revoked) }
        let revoked = try readOnCallingThread { db in
            try db.scalar("SELECT 1 FROM api_tokens WHERE tenant = ? AND id = ? AND revoked_at IS NOT NULL",
                          [.text(tenant), .text(request.id)]) != nil
        }
        return .init(revoked: revoked)
    }

    /// ``tokenStateOnCallingThread(_:_:)`` for callers on the cooperative pool.
    public func tokenState(_ tenant: String, _ request: StorageContract.TokenStateRequest) async throws -> StorageContract.TokenStateResponse {
        try Store.validateTokenID(request.id)
        if let revoked = revokedTokens.contains(tenant, request.id) { return .init(revoked: revoked) }
        return .init(revoked: try await read { db in
            try db.scalar("SELECT 1 FROM api_tokens WHERE tenant = ? AND id = ? AND revoked_at IS NOT NULL",
                          [.text(tenant), .text(request.id)]) != nil
        })
    }

    /// Every revoked (tenant, id), for ``RevokedTokens`` at open.
    static func revokedTokenIDs(_ db: Database) throws -> [(tenant: String, id: String)] {
        let statement = try db.prepare("SELECT tenant, id FROM api_tokens WHERE revoked_at IS NOT NULL")
        try statement.bind([])
        var pairs: [(tenant: String, id: String)] = []
        while try statement.step() { pairs.append((statement.text(0) ?? "", statement.text(1) ?? "")) }
        return pairs
    }

    private static let tokenColumns = "id, owner, name, kind, roles, created_at, expires_at, revoked_at, revoked_by"
    private static let tokenKinds = StorageContract.TokenKind.allCases.map(\.rawValue).joined(separator: ", ")

    private static func readToken(_ db: Database, _ select: String, _ tenant: String, _ id: String) throws -> StorageContract.TokenRecord? {
        let statement = try db.prepare(select)
        try statement.bind([.text(tenant), .text(id)])
        guard try statement.step() else { return nil }
        return try tokenRecord(statement)
    }

    private static func tokenRecord(_ statement: Statement) throws -> StorageContract.TokenRecord {
        StorageContract.TokenRecord(
            id: statement.text(0) ?? "", owner: statement.text(1) ?? "", name: statement.text(2) ?? "", kind: statement.text(3) ?? "",
            roles: (try? fromJSON([String: String].self, statement.blob(4))) ?? [:], createdAt: statement.date(5) ?? Date(),
            expiresAt: statement.date(6), revokedAt: statement.date(7), revokedBy: statement.text(8))
    }

    /// A token id: 1 to 100 letters, digits, `-` and `_` (a 128-bit `jti` in hex or base64url).
    static func validateTokenID(_ id: String, field: String = "id") throws {
        guard !id.isEmpty, id.utf8.count <= 100 else { throw RPCError.invalidArgument("\(field): must be 1 to 100 bytes") }
        guard id.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }) else { throw RPCError.invalidArgument("\(field): only letters, digits, `-` and `_`") }
    }

    private static func validate(_ record: StorageContract.TokenRecord) throws {
        try validateTokenID(record.id)
        _ = try Validation.key(record.owner, field: "owner")
        _ = try Validation.identifier(record.name, field: "name", maxLength: 200)
        guard StorageContract.TokenKind(rawValue: record.kind) != nil else { throw RPCError.invalidArgument("kind: must be one of \(tokenKinds)") }
        guard record.roles.count <= Validation.maxListEntries else {
            throw RPCError.invalidArgument("roles: more than \(Validation.maxListEntries) projects")
        }
        for (project, role) in record.roles {
            if project != "*" { _ = try Validation.projectKey(project, field: "roles") }
            guard Role(rawValue: role) != nil else { throw RPCError.invalidArgument("roles.\(project): must be one of admin, member, viewer") }
        }
        try Validation.date(record.createdAt, field: "createdAt")
        if let expiresAt = record.expiresAt { try Validation.date(expiresAt, field: "expiresAt") }
        if let revokedAt = record.revokedAt { try Validation.date(revokedAt, field: "revokedAt") }
        if let revokedBy = record.revokedBy { _ = try Validation.identifier(revokedBy, field: "revokedBy") }
    }
}
