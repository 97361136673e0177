import Foundation
import Lifecycle
import Testing
@testable import Launcher

/// `smart-ticket token create` refuses to mint a token the gateway would refuse as too long-lived.
@Suite struct TokenCommandTests {
    /// The usage error `token create` with `extra` arguments ends with, nil if it ends otherwise.
    private func usageError(_ extra: [String]) async -> String? {
        let directory = NSTemporaryDirectory() + "token-command-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/config.json"
        FileManager.default.createFile(atPath: config, contents: Data(#"{"auth": {"maxTokenLifetimeSeconds": 3600}}"#.utf8))
        let arguments = ["create", "--tenant", "acme", "--subject", "ada", "--data-dir", directory] + extra.map { $0 == "CONFIG" ? config : $0 }
        do {
            _ = try await TokenCommand.run(arguments)
            return nil
        } catch let error as UsageError {
            return error.message
        } catch {
            return nil
        }
    }

    @Test func aTTLLongerThanTheMaximumLifetimeIsRefused() async {
        let refusal = await usageError(["--ttl", "31d"])
        #expect(refusal?.hasPrefix("--ttl is longer than auth.maxTokenLifetimeSeconds (2592000 s, 30 days)") == true, "\(refusal ?? "nil")")
        #expect(await usageError(["--ttl", "2h", "--config", "CONFIG"])?.hasPrefix("--ttl is longer than auth.maxTokenLifetimeSeconds (3600 s") == true)
        // Within the maximum the lifetime is not what stops it (here: no key in the empty data directory).
        #expect(await usageError(["--ttl", "30d"])?.hasPrefix("--ttl is longer") != true)
        #expect(await usageError(["--ttl", "1h", "--config", "CONFIG"])?.hasPrefix("--ttl is longer") != true)
    }
}
