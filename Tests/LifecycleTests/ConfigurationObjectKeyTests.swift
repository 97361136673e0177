import Foundation
import Testing
import Lifecycle

/// A section with a key whose value is a JSON object (as `auth.oidc.groupRoles`).
struct AtticSettings: ConfigurationSection {
    var boxes: [String: Int] = [:]
    var lamps = 1

    static let keys: [ConfigurationKey<AtticSettings>] = [
        .custom("attic.boxes", "Boxes by room: a JSON object.", takesObject: true,
                get: { String(describing: $0.boxes) },
                set: { (settings, value) throws(ConfigurationError) in
                    let object = (value as? [String: Any]) ?? (value as? String).flatMap {
                        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                    }
                    guard let object else { throw ConfigurationError("`attic.boxes` must be a JSON object") }
                    settings.boxes = object.compactMapValues { ($0 as? NSNumber)?.intValue }
                }),
        .int("attic.lamps", "How many lamps.", \.lamps, 0...10),
    ]
}

@Suite struct ConfigurationObjectKeyTests {
    func load(_ text: String, environment: [String: String] = [:]) throws -> Configuration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("attic-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try Configuration.load(file: file.path, environment: environment, sections: [AtticSettings.self])
    }

    @Test func aKeyThatTakesAnObjectGetsItWhole() throws {
        #expect(try load(#"{"attic": {"boxes": {"north": 2, "south": 5}}}"#)[AtticSettings.self].boxes == ["north": 2, "south": 5])
        // The environment gives the same as JSON text, and wins.
        let both = try load(#"{"attic": {"boxes": {"north": 2}}}"#, environment: ["SMART_TICKET_ATTIC_BOXES": #"{"east": 1}"#])
        #expect(both[AtticSettings.self].boxes == ["east": 1])
    }

    @Test func otherKeysStillRefuseAnObjectAsUnknownKeysBelowThem() {
        #expect(performing: { try load(#"{"attic": {"lamps": {"count": 1}}}"#) },
                throws: { ($0 as? ConfigurationError)?.message.contains("unknown configuration key `attic.lamps`") == true })
    }
}
