import Testing
@testable import Lifecycle

@Suite struct CommandSpecTests {
    let spec = CommandSpec(name: "tool run", summary: "Runs.", options: [
        .init("port", value: "N", help: "Port."),
        .init("json", help: "JSON output."),
    ], positionals: ["FILE"])

    @Test func parsesValuesFlagsAndPositionals() throws {
        let parsed = try spec.parse(["--port", "80", "--json", "input.jsonl"])
        #expect(parsed["port"] == "80")
        #expect(parsed.has("json"))
        #expect(parsed.positionals == ["input.jsonl"])
        #expect(try parsed.int("port") == 80)
        #expect(try spec.parse(["--port=81"])["port"] == "81")
    }

    @Test func helpIsAHelpRequestWithUsage() {
        do {
            _ = try spec.parse(["--help"])
            Issue.record("expected help")
        } catch {
            #expect(error.isHelp)
            #expect(error.message.contains("Usage: tool run [options] FILE"))
            #expect(error.message.contains("--port N"))
        }
    }

    @Test(arguments: [
        (["--bogus"], "unknown option --bogus"),
        (["--port"], "--port needs a value (N)"),
        (["--json=yes"], "--json takes no value"),
        (["a", "b"], "unexpected argument 'b'"),
    ])
    func mistakesAreExplained(arguments: [String], expected: String) {
        do {
            _ = try spec.parse(arguments)
            Issue.record("expected an error for \(arguments)")
        } catch {
            #expect(!error.isHelp)
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func nonIntegerValueIsExplained() throws {
        let parsed = try spec.parse(["--port", "eighty"])
        #expect(throws: UsageError.self) { try parsed.int("port") }
    }
}
