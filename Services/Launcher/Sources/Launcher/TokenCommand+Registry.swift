import Contracts
import Foundation
import Lifecycle
import Model
import RPC

/// `token list` and `token revoke`, and `token create`'s registration: they talk to the running system's storage over
/// the run directory's socket, and record what they change in the tenant's audit record (actor `cli`).
extension TokenCommand {
    static let listSpec = CommandSpec(
        name: "smart-ticket token list",
        summary: "List a tenant's tokens (never the tokens themselves): id, kind, owner, name, roles, created, expires, revoked.",
        options: [
            .runDir,
            .tenant("Tenant (required)."),
            .init("owner", value: "S", help: "Only this subject's tokens."),
            .init("json", help: "One JSON object per token."),
        ])

    static let revokeSpec = CommandSpec(
        name: "smart-ticket token revoke",
        summary: "Revoke a token by its id (printed by `token create`, listed by `token list`): every gateway refuses it from its next request on. An id never registered (a token made without --run-dir) is recorded as revoked.",
        options: [
            .runDir,
            .tenant("Tenant (required)."),
            .init("id", value: "ID", help: "The token's id (required)."),
        ])

    /// Who the command line acts as in storage and the audit record.
    static let actor = "cli"

    static func list(_ arguments: [String]) async throws -> Int32 {
        let parsed = try listSpec.parse(arguments)
        let tenant = try parsed.require("tenant")
        let storage = try client(parsed.runDirectory)
        defer { storage.close() }
        let items = try await storage.call(StorageContract.listTokens, .init(owner: parsed["owner"]),
                                           metadata: Metadata(tenant: tenant, principal: actor)).items
        if parsed.has("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(ISO8601.format(date))
            }
            for item in items { print(String(decoding: try encoder.encode(item), as: UTF8.self)) }
            return 0
        }
        if items.isEmpty { print("no tokens registered in tenant \(tenant)") }
        for item in items {
            let roles = item.roles.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let state = item.revokedAt.map { "revoked \(ISO8601.format($0)) by \(item.revokedBy ?? "?")" }
                ?? item.expiresAt.map { $0 < Date() ? "expired" : "live" } ?? "live"
            print("\(item.id)  \(item.kind)  owner=\(item.owner)  name=\(item.name)  roles=\(roles)  created=\(ISO8601.format(item.createdAt))  "
                  + "expires=\(item.expiresAt.map(ISO8601.format) ?? "-")  \(state)")
        }
        return 0
    }

    static func revoke(_ arguments: [String]) async throws -> Int32 {
        let parsed = try revokeSpec.parse(arguments)
        let tenant = try parsed.require("tenant")
        let id = try parsed.require("id")
        let storage = try client(parsed.runDirectory)
        defer { storage.close() }
        let metadata = Metadata(tenant: tenant, principal: actor)
        let answer: StorageContract.RevokeTokenResponse
        do {
            answer = try await storage.call(StorageContract.revokeToken, .init(id: id, by: actor, registerIfMissing: true), metadata: metadata)
        } catch let error as RPCError where error.code == .invalidArgument {
            throw LauncherError("--id: \(error.message)")
        }
        if answer.changed {
            var before = answer.token
            before.revokedAt = nil
            before.revokedBy = nil
            await audit(before: before, after: answer.token, tenant: tenant, storage: storage)
            print("revoked token \(id): every gateway refuses it from now on")
        } else {
            print("token \(id) was already revoked (\(answer.token.revokedAt.map(ISO8601.format) ?? "?") by \(answer.token.revokedBy ?? "?"))")
        }
        return 0
    }

    /// Registers a token `create` made with the running system of `runDirectory`.
    static func register(_ record: StorageContract.TokenRecord, tenant: String, runDirectory: RunDirectory) async throws {
        let storage = try client(runDirectory)
        defer { storage.close() }
        _ = try await storage.call(StorageContract.putToken, record, metadata: Metadata(tenant: tenant, principal: actor))
        await audit(before: nil, after: record, tenant: tenant, storage: storage)
    }

    private static func client(_ runDirectory: RunDirectory) throws -> StorageClient {
        try RunningServices.require(.storage, in: runDirectory)
        return StorageClient(service: "storage", socketPaths: runDirectory.sockets(.storage, count: 1), defaultTimeout: 10)
    }

    /// Appends the change to the tenant's audit record (a tenant not created yet has none: nothing to append to).
    private static func audit(before: StorageContract.TokenRecord?, after: StorageContract.TokenRecord, tenant: String,
                              storage: StorageClient) async {
        func json(_ record: StorageContract.TokenRecord?) -> Data? {
            guard let record else { return nil }
            var value: [String: Any] = ["name": record.name, "owner": record.owner, "kind": record.kind, "roles": record.roles,
                                        "expiresAt": record.expiresAt.map(ISO8601.format) ?? NSNull(),
                                        "revokedAt": record.revokedAt.map(ISO8601.format) ?? NSNull(), "revokedBy": record.revokedBy ?? NSNull()]
            value = value.filter { !($0.value is NSNull) }
            return try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        }
        let request = StorageContract.AppendAuditRequest(actor: actor, kind: .token, project: nil, target: after.id,
                                                         before: json(before), after: json(after))
        do {
            _ = try await storage.call(StorageContract.appendAudit, request, metadata: Metadata(tenant: tenant, principal: actor))
        } catch let error as RPCError where error.code == .failedPrecondition {
            // The tenant does not exist yet: there is no audit record to write to.
        } catch {
            FileHandle.standardError.write(Data("warning: the change was made but not recorded in the audit record: \(error)\n".utf8))
        }
    }
}
