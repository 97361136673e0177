import CLibPQ
import Foundation

/// How to reach the PostgreSQL database: the operator's connection URL (or `key=value` string), a
/// password read from a file, and the session settings a connection starts with.
///
/// The URL may carry a password; it is never logged: logs name the database with ``logFields``.
struct PostgresParameters: Sendable {
    /// The URL or connection string as given.
    let conninfo: String
    /// The password from the password file; it wins over one in the URL.
    let password: String?
    /// Sessions refuse writes (the reader connections).
    private(set) var readOnly = false

    /// These parameters for sessions that refuse writes.
    var readOnlySessions: PostgresParameters {
        var parameters = self
        parameters.readOnly = true
        return parameters
    }

    /// A malformed URL or an unreadable password file. Its message never repeats the URL.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Parameters for `url`, with the password in `passwordFile` (its first line, without the line
    /// break) when given.
    init(url: String, passwordFile: String?) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            // libpq's message may quote the malformed part, which may be the password.
            throw Invalid(description: "the PostgreSQL URL is malformed (libpq cannot parse it)")
        }
        PQconninfoFree(options)
        conninfo = url
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw Invalid(description: "cannot read the PostgreSQL password file \(passwordFile)")
            }
            let password = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !password.isEmpty else { throw Invalid(description: "the PostgreSQL password file \(passwordFile) is empty") }
            self.password = password
        } else {
            password = nil
        }
    }

    /// The connection's values of `keywords` in `conninfo` (absent ones are left out).
    private func parsed(_ keywords: Set<String>) -> [String: String] {
        guard let options = PQconninfoParse(conninfo, nil) else { return [:] }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if keywords.contains(name), let value = option.pointee.val { values[name] = String(cString: value) }
            option += 1
        }
        return values
    }

    /// The host, port, database and user of the URL (never its password or options), for logs: as
    /// separate fields, since the log's redactor takes `user@host` for an e-mail address.
    var logFields: [String: String] {
        let values = parsed(["user", "host", "hostaddr", "port", "dbname"])
        return ["host": values["host"] ?? values["hostaddr"] ?? "", "port": values["port"] ?? "",
                "database": values["dbname"] ?? "", "user": values["user"] ?? ""]
    }

    /// The keywords and values for `PQconnectdbParams` (with `expand_dbname`): libpq applies them
    /// in order, the last value of a keyword winning, so defaults come before the URL (which may
    /// change them) and what the store needs after it.
    var connectionKeywords: [(String, String)] {
        var settings = parsed(["options"])["options"].map { [$0] } ?? []
        if readOnly { settings.append("-c default_transaction_read_only=on") }
        var keywords: [(String, String)] = [
            ("application_name", "smart-ticket-storage"),
            ("connect_timeout", "10"),
            ("dbname", conninfo),
        ]
        if let password { keywords.append(("password", password)) }
        keywords.append(("client_encoding", "UTF8"))
        if !settings.isEmpty { keywords.append(("options", settings.joined(separator: " "))) }
        return keywords
    }
}
