import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// `DELETE /api/v1/people/{id}` (an admin of every project, `*`): the right to erasure. Storage deletes the person's
    /// record, skill profile and roles and puts a stable pseudonym in place of their id and name everywhere else
    /// (``StorageContract/erasePerson``); then every scoring and skills instance of this pod forgets the tenant (other
    /// pods' drop it on their next use of it: the tenant's data generation changed). The erasure itself is in the audit
    /// record, under the pseudonym.
    static func registerPersonErasureRoute(_ routes: inout RouteTable<Endpoint>) {
        routes.add("DELETE", "/api/v1/people/{id}", .tenantAdmin(action: "erasing a person")) { api, context in
            let id = context.param("id")
            let erased = try await api.storage.call(StorageContract.erasePerson, .init(id: id), metadata: context.metadata, timeout: 120)
            // Learned data leaves every service's memory before the answer; if an instance cannot be told, the call fails
            // and may be repeated (a second erasure of the same id is NOT_FOUND: storage no longer has the person, and the
            // data generation already changed, so the instance drops the tenant on its next use anyway).
            try await api.learning.forget(metadata: context.metadata)
            api.authorizer.invalidate(tenant: context.principal.tenant, subject: id)
            let record = Erasure(pseudonym: erased.pseudonym, rowsRewritten: erased.rowsRewritten, rowsDeleted: erased.rowsDeleted)
            try await api.recordChange(.person, project: nil, target: erased.pseudonym, before: nil, after: record, context)
            api.logger.notice("person erased through the API", ["pseudonym": .string(erased.pseudonym)])
            return try json(record)
        }
    }
}

/// The answer of `DELETE /api/v1/people/{id}`, and what the audit record keeps of an erasure (the pseudonym, never the
/// id or name).
struct Erasure: Codable, Equatable {
    /// What stands for the person in the history from now on.
    let pseudonym: String
    /// Rows rewritten with the pseudonym (tickets, decisions, audit records, settings).
    let rowsRewritten: Int
    /// Rows deleted: the person, their skill profile and roles, and derived rows naming them.
    let rowsDeleted: Int
}
