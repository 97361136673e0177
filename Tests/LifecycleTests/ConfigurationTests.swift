import Foundation
import Testing
@testable import Lifecycle

@Suite struct ConfigurationTests {
    private func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "config-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func defaultsWithoutFileOrEnvironment() throws {
        let configuration = try Configuration.load(file: nil, environment: [:])
        #expect(configuration == Configuration())
        #expect(configuration.httpPort == 8080)
        #expect(configuration.rpcMaxFrameBytes == 4 << 20)
    }

    @Test func fileThenEnvironmentOverride() throws {
        let file = write(#"{"http": {"port": 9000, "host": "0.0.0.0"}, "instances": {"scoring": 2}, "logLevel": "debug"}"#)
        let configuration = try Configuration.load(file: file, environment: ["SMART_TICKET_HTTP_PORT": "9100"])
        #expect(configuration.httpPort == 9100)
        #expect(configuration.httpHost == "0.0.0.0")
        #expect(configuration.scoringInstances == 2)
        #expect(configuration.logLevel == "debug")
    }

    @Test func environmentVariableNamesFollowTheKeyPaths() {
        let names = Configuration.keys.map(\.environmentVariable)
        #expect(names.contains("SMART_TICKET_HTTP_PORT"))
        #expect(names.contains("SMART_TICKET_RPC_MAX_FRAME_BYTES"))
        #expect(names.contains("SMART_TICKET_INSTANCES_SCORING"))
        #expect(names.contains("SMART_TICKET_RUN_DIR"))
    }

    @Test(arguments: [
        (#"{"http": {"prot": 80}}"#, "unknown configuration key `http.prot`"),
        (#"{"bogus": 1}"#, "unknown configuration key `bogus`"),
        (#"{"http": {"port": "eighty"}}"#, "`http.port` must be an integer"),
        (#"{"http": {"port": 70000}}"#, "`http.port` must be between 0 and 65535, got 70000"),
        (#"{"logLevel": "loud"}"#, "`logLevel` must be one of"),
        (#"{"instances": {"storage": 2}}"#, "`instances.storage` must be between 1 and 1"),
        (#"[1, 2]"#, "must hold a JSON object"),
        (#"{not json"#, "is not valid JSON"),
    ])
    func invalidFilesNameTheBadKey(text: String, expected: String) {
        let file = write(text)
        do {
            _ = try Configuration.load(file: file, environment: [:])
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func maxTokenLifetimeDefaultsTo30DaysAndIsConfigurable() throws {
        #expect(try Configuration.load(file: nil, environment: [:]).maxTokenLifetimeSeconds == 30 * 86_400)
        let file = write(#"{"auth": {"maxTokenLifetimeSeconds": 86400}}"#)
        #expect(try Configuration.load(file: file, environment: [:]).maxTokenLifetimeSeconds == 86_400)
        let environment = ["SMART_TICKET_AUTH_MAX_TOKEN_LIFETIME_SECONDS": "3600"]
        #expect(try Configuration.load(file: file, environment: environment).maxTokenLifetimeSeconds == 3600)
        do {
            _ = try Configuration.load(file: nil, environment: ["SMART_TICKET_AUTH_MAX_TOKEN_LIFETIME_SECONDS": "0"])
            Issue.record("a zero lifetime was accepted")
        } catch {
            #expect(error.message.contains("auth.maxTokenLifetimeSeconds"), "\(error.message)")
        }
    }

    @Test func invalidEnvironmentValueNamesTheVariable() {
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(file: nil, environment: ["SMART_TICKET_RPC_TIMEOUT_SECONDS": "soon"])
        }
        do {
            _ = try Configuration.load(file: nil, environment: ["SMART_TICKET_RPC_TIMEOUT_SECONDS": "soon"])
        } catch {
            #expect(error.message.hasPrefix("environment variable SMART_TICKET_RPC_TIMEOUT_SECONDS"))
        }
    }

    @Test func missingFileIsAClearError() {
        do {
            _ = try Configuration.load(file: "/nonexistent/smart-ticket.json", environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "cannot read configuration file /nonexistent/smart-ticket.json")
        }
    }
}
