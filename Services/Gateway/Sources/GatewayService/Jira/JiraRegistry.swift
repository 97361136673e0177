import Contracts
import Foundation
import JiraClient
import RPC

/// Where tenants' Jira connections are kept: each tenant's `jira.connection` setting, and the list of
/// connected tenants (for the scheduled sync) in the setting `jira.tenants` of a reserved system tenant,
/// since storage has no call that reads across tenants.
public enum JiraRegistry {
    /// The reserved tenant holding deployment-wide records.
    public static let systemTenant = "_smart-ticket-system"
    static let tenantsKey = "jira.tenants"

    /// Stores `connection` for `tenant` (creating the tenant if needed) and lists the tenant for scheduled syncs.
    public static func save(_ connection: JiraConnection, tenant: String, storage: RPCClient) async throws {
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
    public static func connection(tenant: String, storage: RPCClient) async throws -> JiraConnection? {
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
    public static func tenants(storage: RPCClient) async throws -> [String] {
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

    private static func tenantName(_ tenant: String, storage: RPCClient) async throws -> String {
        do {
            return try await storage.call(StorageContract.getTenant, .init(), metadata: Metadata(tenant: tenant, principal: "jira-connect")).name
        } catch let error as RPCError where error.code == .notFound {
            return tenant
        }
    }
}
