import Contracts
import Crypto
import Foundation
import JiraClient
import RPC

/// Where tenants' Jira connections are kept: each tenant's `jira.connection` setting, and the list of
/// connected tenants (for the scheduled sync) in the setting `jira.tenants` of a reserved system tenant,
/// since storage has no call that reads across tenants.
///
/// Each tenant's webhook secret is kept in its own tenant setting `jira.webhookSecret` (never inside the
/// connection, so nothing that reads or prints a connection can carry it): read by the gateway at each
/// delivery, written only by `smart-ticket jira connect`, never logged and never returned by any API.
public enum JiraRegistry {
    /// The reserved tenant holding deployment-wide records.
    public static let systemTenant = "_smart-ticket-system"
    static let tenantsKey = "jira.tenants"
    /// The tenant setting holding the tenant's webhook secret (UTF-8).
    public static let webhookSecretKey = "jira.webhookSecret"
    /// The shortest webhook secret accepted (bytes); generated ones are 32 random bytes in hex.
    public static let minimumWebhookSecretBytes = 16

    /// A new webhook secret: 32 random bytes from OpenSSL, as 64 hex digits.
    public static func generateWebhookSecret() -> String { Digest.hex(Digest.randomBytes(32)) }

    /// Stores `secret` as the tenant's webhook secret, replacing any previous one at once.
    public static func saveWebhookSecret(_ secret: String, tenant: String, storage: StorageClient) async throws {
        guard tenant != systemTenant else { throw RPCError.invalidArgument("tenant: reserved") }
        guard secret.utf8.count >= minimumWebhookSecretBytes else {
            throw RPCError.invalidArgument("webhook secret: at least \(minimumWebhookSecretBytes) bytes")
        }
        _ = try await storage.call(StorageContract.putSetting, .init(key: webhookSecretKey, value: Data(secret.utf8)),
                                   metadata: Metadata(tenant: tenant, principal: "jira-connect"))
    }

    /// The tenant's own webhook secret, or nil when it has none (or the tenant does not exist).
    public static func webhookSecret(tenant: String, storage: StorageClient) async throws -> String? {
        guard tenant != systemTenant else { return nil }
        let setting: StorageContract.Setting
        do {
            setting = try await storage.call(StorageContract.getSetting, .init(webhookSecretKey), metadata: Metadata(tenant: tenant, principal: "jira"))
        } catch let error as RPCError where error.code == .notFound || error.code == .failedPrecondition || error.code == .invalidArgument {
            return nil
        }
        guard let value = setting.value, !value.isEmpty else { return nil }
        return String(decoding: value, as: UTF8.self)
    }

    /// Stores `connection` for `tenant` (creating the tenant if needed) and lists the tenant for scheduled syncs.
    public static func save(_ connection: JiraConnection, tenant: String, storage: StorageClient) async throws {
        guard tenant != systemTenant else { throw RPCError.invalidArgument("tenant: reserved") }
        let metadata = Metadata(tenant: tenant, principal: "jira-connect")
        _ = try await storage.call(StorageContract.putTenant, .init(name: try await tenantName(tenant, storage: storage), jiraSite: connection.site),
                                   metadata: metadata)
        _ = try await storage.call(StorageContract.putSetting, .init(key: JiraConnection.settingKey, value: try connection.encoded()),
                                   metadata: metadata)
        var tenants = try await self.tenants(storage: storage)
        if !tenants.contains(tenant) {
            tenants.append(tenant)
            let system = Metadata(tenant: systemTenant, principal: "jira-connect")
            _ = try await storage.call(StorageContract.putSetting, .init(key: tenantsKey, value: try JSONEncoder().encode(tenants.sorted())),
                                       metadata: system)
        }
    }

    /// The tenant's connection, or nil when it has none.
    public static func connection(tenant: String, storage: StorageClient) async throws -> JiraConnection? {
        let setting: StorageContract.Setting
        do {
            setting = try await storage.call(StorageContract.getSetting, .init(JiraConnection.settingKey),
                                             metadata: Metadata(tenant: tenant, principal: "jira"))
        } catch let error as RPCError where error.code == .notFound || error.code == .failedPrecondition {
            return nil
        }
        guard let value = setting.value else { return nil }
        return try JiraConnection.decode(value)
    }

    /// Every connected tenant.
    public static func tenants(storage: StorageClient) async throws -> [String] {
        let system = Metadata(tenant: systemTenant, principal: "jira")
        do {
            _ = try await storage.call(StorageContract.getTenant, .init(), metadata: system)
        } catch let error as RPCError where error.code == .notFound {
            _ = try await storage.call(StorageContract.putTenant, .init(name: "SmartTicket system records"), metadata: system)
        }
        do {
            let setting = try await storage.call(StorageContract.getSetting, .init(tenantsKey), metadata: system)
            guard let value = setting.value else { return [] }
            return try JSONDecoder().decode([String].self, from: value)
        } catch let error as RPCError where error.code == .notFound {
            return []
        }
    }

    private static func tenantName(_ tenant: String, storage: StorageClient) async throws -> String {
        do {
            return try await storage.call(StorageContract.getTenant, .init(), metadata: Metadata(tenant: tenant, principal: "jira-connect")).name
        } catch let error as RPCError where error.code == .notFound {
            return tenant
        }
    }
}
