import Foundation
import Lifecycle
import Model
import Testing
@testable import GatewayService

@Suite struct GroupRolesTests {
    @Test func groupsGiveTheHighestRoleAnyOfThemGivesPerProject() throws {
        let mapping = try GroupRoles(configuration: #"{"leads": {"*": "admin"}, "web-devs": {"WEB": "member", "OPS": "viewer"}, "ops": {"OPS": "member"}}"#)
        #expect(mapping.roles(for: ["web-devs"]) == ["WEB": .member, "OPS": .viewer])
        #expect(mapping.roles(for: ["web-devs", "ops", "unknown"]) == ["WEB": .member, "OPS": .member])
        #expect(mapping.roles(for: ["leads"]) == ["*": .admin])
        #expect(mapping.roles(for: []) == [:])
    }

    @Test(arguments: [
        (#"{"leads": "admin"}"#, "group 'leads' must map to an object"),
        (#"{"leads": {"*": "owner"}}"#, "unknown role; use viewer, member or admin"),
        (#"{"devs": {"WEB-1": "member"}}"#, "neither a project key"),
        (#"["leads"]"#, "must be a JSON object"),
        (#"{"leads": {"*": "admin"}"#, "is not valid JSON"),
    ])
    func aWrongMappingIsRefusedSayingWhatIsWrong(text: String, expected: String) {
        #expect(throws: ConfigurationError.self) { try GroupRoles(configuration: text) }
        do {
            _ = try GroupRoles(configuration: text)
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func theSettingsReadTheMappingFromTheEnvironmentOrAsAnObjectInTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("oidc-\(UUID().uuidString).json")
        try Data(#"{"auth": {"oidc": {"issuer": "https://idp.example.com", "groupRoles": {"leads": {"*": "admin"}}}}}"#.utf8).write(to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fromFile = try Configuration.load(file: directory.path, environment: [:], sections: [GatewaySettings.self])[GatewaySettings.self]
        #expect(fromFile.oidc.groupRoles.roles(for: ["leads"]) == ["*": .admin])
        #expect(fromFile.oidc.issuer == "https://idp.example.com" && fromFile.oidc.groupsClaim == "groups" && fromFile.oidc.sessionSeconds == 3600)
        let fromEnvironment = try Configuration.load(file: nil, environment: [
            "SMART_TICKET_AUTH_OIDC_GROUP_ROLES": #"{"web-devs": {"WEB": "member"}}"#, "SMART_TICKET_AUTH_OIDC_CLIENT_ID": "st",
            "SMART_TICKET_AUTH_OIDC_PERSON_CLAIM": "email"], sections: [GatewaySettings.self])[GatewaySettings.self]
        #expect(fromEnvironment.oidc.groupRoles.roles(for: ["web-devs"]) == ["WEB": .member])
        #expect(fromEnvironment.oidc.clientID == "st" && fromEnvironment.oidc.personClaim == "email")
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(file: nil, environment: ["SMART_TICKET_AUTH_OIDC_GROUP_ROLES": #"{"x": {"*": "root"}}"#], sections: [GatewaySettings.self])
        }
    }

    @Test func anIncompleteConfigurationIsRefusedAtStartNamingTheKey() {
        var settings = OIDCSettings()
        settings.issuer = "https://idp.example.com"
        #expect(performing: { try settings.validate(maxTokenLifetime: 86_400) },
                throws: { ($0 as? ConfigurationError)?.message == "`auth.oidc.clientId` is required with `auth.oidc.issuer`" })
        settings.clientID = "st"
        settings.clientSecretFile = "/run/secrets/oidc"
        settings.tenant = "acme"
        #expect(throws: Never.self) { try settings.validate(maxTokenLifetime: 86_400) }
        settings.issuer = "http://idp.example.com"
        #expect(throws: ConfigurationError.self) { try settings.validate(maxTokenLifetime: 86_400) }
        settings.issuer = "http://127.0.0.1:9400"
        settings.redirectURL = "https://tickets.example.com/login"
        #expect(throws: ConfigurationError.self) { try settings.validate(maxTokenLifetime: 86_400) }
        settings.redirectURL = "https://tickets.example.com/auth/oidc/callback"
        #expect(throws: Never.self) { try settings.validate(maxTokenLifetime: 86_400) }
        settings.sessionSeconds = 7200
        #expect(throws: ConfigurationError.self) { try settings.validate(maxTokenLifetime: 3600) }
    }
}
