import Foundation
import Lifecycle
import StorageService
import Testing

/// The storage service's keys (`storage.*`) and the database path made from them.
@Suite struct StorageSettingsTests {
    private func load(_ text: String?, environment: [String: String] = [:],
                      unknownKeys: Configuration.UnknownKeys = .rejectInRegisteredSections) throws(ConfigurationError) -> Configuration {
        let file = text.map { text in
            let path = NSTemporaryDirectory() + "storage-config-\(UUID().uuidString).json"
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            return path
        }
        defer { if let file { try? FileManager.default.removeItem(atPath: file) } }
        return try Configuration.load(file: file, environment: environment, sections: [StorageSettings.self], unknownKeys: unknownKeys)
    }

    @Test func defaultsPutTheDatabaseInTheDataDirectory() throws {
        let configuration = try load(nil)
        #expect(configuration[StorageSettings.self] == StorageSettings())
        #expect(configuration[StorageSettings.self].commitWindowMicroseconds == 0)
        #expect(configuration.databasePath == "./data/smart-ticket.sqlite")
    }

    @Test func theFileIsRelativeToDataDirUnlessAbsolute() throws {
        let relative = try load(#"{"dataDir": "/var/lib/st", "storage": {"file": "db/main.sqlite", "commitWindowMicroseconds": 500}}"#)
        #expect(relative.databasePath == "/var/lib/st/db/main.sqlite")
        #expect(relative[StorageSettings.self].commitWindowMicroseconds == 500)
        let absolute = try load(#"{"dataDir": "/var/lib/st"}"#, environment: ["SMART_TICKET_STORAGE_FILE": "/srv/st.sqlite"])
        #expect(absolute.databasePath == "/srv/st.sqlite")
        var settings = StorageSettings()
        settings.file = "x.sqlite"
        #expect(settings.databasePath(dataDir: "/d") == "/d/x.sqlite")
    }

    @Test func environmentVariablesAreTheDocumentedOnes() throws {
        #expect(StorageSettings.keys.map(\.environmentVariable) == ["SMART_TICKET_STORAGE_FILE", "SMART_TICKET_STORAGE_COMMIT_WINDOW_MICROSECONDS",
                                                                  "SMART_TICKET_STORAGE_DECISION_RETENTION_DAYS", "SMART_TICKET_STORAGE_POSTGRES_URL",
                                                                  "SMART_TICKET_STORAGE_POSTGRES_PASSWORD_FILE"])
        let configuration = try load(nil, environment: ["SMART_TICKET_STORAGE_COMMIT_WINDOW_MICROSECONDS": "250"])
        #expect(configuration[StorageSettings.self].commitWindowMicroseconds == 250)
    }

    @Test(arguments: [
        (#"{"storage": {"commitWindowMicroseconds": 100001}}"#, "`storage.commitWindowMicroseconds` must be between 0 and 100000, got 100001"),
        (#"{"storage": {"commitWindowMicroseconds": "soon"}}"#, "`storage.commitWindowMicroseconds` must be an integer"),
        (#"{"storage": {"file": ""}}"#, "`storage.file` must be a non-empty string"),
        (#"{"storage": {"fil": "x.sqlite"}}"#, "unknown configuration key `storage.fil`"),
        (#"{"storage": "x.sqlite"}"#, "unknown configuration key `storage`"),
    ])
    func badValuesNameTheKey(text: String, expected: String) {
        do {
            _ = try load(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message == expected)
        }
    }

    /// The storage process reads the launcher's file: it refuses `storage.fil` but not the gateway's `http.port`.
    @Test func theStorageProcessIgnoresOtherServicesKeys() throws {
        let text = #"{"http": {"port": 70000}, "auth": {"bogus": 1}, "skills": {"model": {"name": ""}}, "storage": {"file": "s.sqlite"}}"#
        #expect(try load(text).databasePath == "./data/s.sqlite")
        do {
            _ = try load(text, unknownKeys: .reject)
            Issue.record("accepted keys of unregistered sections")
        } catch {
            #expect(error.message == "unknown configuration key `auth`")
        }
        do {
            _ = try load(#"{"http": {"port": 80}, "storage": {"fil": "s.sqlite"}}"#)
            Issue.record("accepted storage.fil")
        } catch {
            #expect(error.message == "unknown configuration key `storage.fil`")
        }
    }
}
