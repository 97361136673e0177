import Foundation
import Model
import Wire

// `storage.v1/GetTicketContext` messages write and read themselves in the binary codec (same bytes and
// values as their synthesized `Codable`; see `BinaryCodable`): every recommendation reads one.

extension StorageContract.TicketContextRequest: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(key, forKey: "key")
        writer.encodeIfPresent(settingPrefix, forKey: "settingPrefix")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            key: reader.decode(String.self, forKey: "key"),
            settingPrefix: reader.decodeIfPresent(String.self, forKey: "settingPrefix"))
    }
}

extension StorageContract.TicketContext: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(ticket, forKey: "ticket")
        writer.encodeIfPresent(project, forKey: "project")
        writer.encodeIfPresent(setting, forKey: "setting")
        writer.encodeIfPresent(skills, forKey: "skills")
        writer.encode(dataVersion, forKey: "dataVersion")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            ticket: reader.decode(Ticket.self, forKey: "ticket"),
            project: reader.decodeIfPresent(Project.self, forKey: "project"),
            setting: reader.decodeIfPresent(Data.self, forKey: "setting"),
            skills: reader.decodeIfPresent(StorageContract.StoredSkills.self, forKey: "skills"),
            dataVersion: reader.decode(String.self, forKey: "dataVersion"))
    }
}

extension StorageContract.StoredSkills: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(contentHash, forKey: "contentHash")
        writer.encode(json, forKey: "json")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            contentHash: reader.decode(String.self, forKey: "contentHash"),
            json: reader.decode([UInt8].self, forKey: "json"))
    }
}
