import Foundation
import RPC

/// `storage.v1/ErasePerson`: the right to erasure. Deletes a person's record, learned skill profile and stored roles,
/// and replaces their id and name by a stable pseudonym everywhere else (tickets, decisions, audit records, settings),
/// so the history's counts stay true and nothing names them. The tenant's data generation changes, so every process
/// that keeps what it learned of the tenant (scoring, skills, in any pod) drops it and loads it again.
extension StorageContract {
    public static let erasePerson = Method<ErasePersonRequest, ErasePersonResponse>(service: service, method: "ErasePerson")

    public struct ErasePersonRequest: Codable, Sendable, Equatable {
        /// The person's id.
        public var id: String
        public init(id: String) { self.id = id }
    }

    public struct ErasePersonResponse: Codable, Sendable, Equatable {
        /// What now stands for the person: `erased-` and 16 hex digits, the same for the same id in the same tenant.
        public var pseudonym: String
        /// Rows rewritten with the pseudonym.
        public var rowsRewritten: Int
        /// Rows deleted: the person, their skill profile and roles, and derived rows naming them (cached detections).
        public var rowsDeleted: Int
        public init(pseudonym: String, rowsRewritten: Int, rowsDeleted: Int) {
            self.pseudonym = pseudonym
            self.rowsRewritten = rowsRewritten
            self.rowsDeleted = rowsDeleted
        }
    }

    /// The prefix of every pseudonym.
    public static let pseudonymPrefix = "erased-"
}
