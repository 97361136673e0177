import Foundation
import Lifecycle
import Model

/// `auth.oidc.groupRoles`: which roles a group of the identity provider gives, as a JSON object from group name to
/// `{project key or "*": role}`, e.g. `{"leads": {"*": "admin"}, "web-devs": {"WEB": "member"}}`.
public struct GroupRoles: Sendable, Equatable {
    /// Group name to project key (or `*`) to role.
    public private(set) var mapping: [String: [String: Role]] = [:]

    public init() {}

    public init(_ mapping: [String: [String: Role]]) { self.mapping = mapping }

    /// Reads the mapping from a JSON object (the configuration file) or its text (an environment variable); the message
    /// names the first group or project that is wrong and what is expected.
    public init(configuration value: Any) throws(ConfigurationError) {
        var object: Any = value
        if let text = value as? String {
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return }
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
                throw ConfigurationError("`auth.oidc.groupRoles` is not valid JSON: give an object such as "
                                         + #"{"leads": {"*": "admin"}, "web-devs": {"WEB": "member"}}"#)
            }
            object = parsed
        }
        guard let groups = object as? [String: Any] else {
            throw ConfigurationError("`auth.oidc.groupRoles` must be a JSON object from group name to {project or \"*\": role}")
        }
        for (group, value) in groups {
            guard !group.isEmpty, group.utf8.count <= 256 else {
                throw ConfigurationError("`auth.oidc.groupRoles`: group names must be 1 to 256 bytes")
            }
            guard let projects = value as? [String: Any] else {
                throw ConfigurationError("`auth.oidc.groupRoles`: group '\(group.prefix(64))' must map to an object {project or \"*\": role}")
            }
            var roles: [String: Role] = [:]
            for (project, name) in projects {
                guard Principal.isRoleScope(project) else {
                    throw ConfigurationError("`auth.oidc.groupRoles`: group '\(group.prefix(64))' names '\(project.prefix(64))', "
                                             + "which is neither a project key (letters, digits, _ and ., no dash) nor \"*\"")
                }
                guard let text = name as? String, let role = Role(rawValue: text) else {
                    throw ConfigurationError("`auth.oidc.groupRoles`: group '\(group.prefix(64))' gives '\(project.prefix(64))' an unknown role; "
                                             + "use viewer, member or admin")
                }
                roles[project] = role
            }
            mapping[group] = roles
        }
    }

    /// The roles `groups` give together: for each project, the highest role any of them gives.
    public func roles(for groups: [String]) -> [String: Role] {
        var roles: [String: Role] = [:]
        for group in groups {
            for (project, role) in mapping[group] ?? [:] { roles[project] = max(roles[project] ?? role, role) }
        }
        return roles
    }

    /// The mapping as JSON text (sorted keys), for `describe`.
    public var jsonText: String {
        guard !mapping.isEmpty else { return "" }
        let object = mapping.mapValues { $0.mapValues(\.rawValue) }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

}
