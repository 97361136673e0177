import Foundation
import RPC

/// `storage.v1/GetTicketContext`: everything a recommendation reads from storage about one ticket,
/// in one call and one read transaction (so the parts are consistent with each other): the ticket,
/// its project, optionally one setting named after the project, the skills stored for the ticket and
/// the tenant's data version (see ``StorageContract/dataVersion``) as of that read.
extension StorageContract {
    public static let getTicketContext = Method<TicketContextRequest, TicketContext>(service: service, method: "GetTicketContext")

    public struct TicketContextRequest: Codable, Sendable, Equatable {
        /// The ticket's key.
        public var key: String
        /// When set, the setting `settingPrefix + <the ticket's project key>` is read too
        /// (e.g. `jira.assignable.` for the project's Jira-assignable people).
        public var settingPrefix: String?
        public init(key: String, settingPrefix: String? = nil) {
            self.key = key
            self.settingPrefix = settingPrefix
        }
    }

    public struct TicketContext: Codable, Sendable, Equatable {
        public var ticket: Ticket
        /// Nil if the ticket's project is missing.
        public var project: Project?
        /// The value of the setting asked for with `settingPrefix`; nil when absent or not asked for.
        public var setting: Data?
        /// The skills stored for the ticket (``StorageContract/putTicketSkills``), if any.
        public var skills: StoredSkills?
        /// The tenant's data version read in the same transaction as the ticket.
        public var dataVersion: String
        public init(ticket: Ticket, project: Project?, setting: Data? = nil, skills: StoredSkills? = nil, dataVersion: String) {
            self.ticket = ticket
            self.project = project
            self.setting = setting
            self.skills = skills
            self.dataVersion = dataVersion
        }
    }

    /// A ticket's stored skills as stored: the content hash and the skills' JSON exactly as
    /// `JSONWriter.skills` wrote it (so a caller can tell whether new skills differ by comparing bytes,
    /// without decoding).
    public struct StoredSkills: Codable, Sendable, Equatable {
        public var contentHash: String
        public var json: [UInt8]
        public init(contentHash: String, json: [UInt8]) {
            self.contentHash = contentHash
            self.json = json
        }
    }
}
