import Foundation
import Harness
import Lifecycle
import Posix
import RPC
import Wire

/// `smart-ticket-bench`: prints benchmark figures (build with -c release before trusting them).
public enum BenchCLI {
    static let usage = """
        SmartTicket benchmarks. Build with 'swift build -c release' first.

        Usage: smart-ticket-bench SUITE [options]

        Suites:
          rpc       echo through a real service process (1 and 16 in flight), the raw socket floor, codecs
          codecs    only the codecs' encode+decode pairs, in-process (for profiling)
          storage   numpy import, point reads and paged listing through a real storage process
          skills    skill detection of 1 KB tickets, in-process and through the skills process;
                    with --cases, the detector's precision and recall on labelled cases
          scoring   in-process: rank 500 candidates for one ticket, learn one ticket, replay a history
          jira      Jira backfill and incremental sync through the real system against a fake Jira site

        Run 'smart-ticket-bench SUITE --help' for options.

        """

    /// Runs the suite in `arguments` and returns the exit code.
    public static func run(_ arguments: [String]) async -> Int32 {
        await CommandProgram(name: "smart-ticket-bench", usage: usage, noun: "suite").run(arguments) { suite, rest in
            switch suite {
            case "rpc": return try await rpc(rest)
            case "storage": return try await storage(rest)
            case "skills": return try await skills(rest)
            case "scoring": return try scoring(rest)
            case "codecs": return try codecs(rest)
            case "jira": return try await jira(rest)
            case "raw-echo-server":
                try RawEcho.serve(path: rest.first ?? "")
                return 0
            default: return nil
            }
        }
    }

    static func scoring(_ arguments: [String]) throws -> Int32 {
        let spec = CommandSpec(name: "smart-ticket-bench scoring", summary: "In-process ranking, learning and replay.", options: [
            .jsonLines,
            .init("history", value: "FILE", help: "Ticket history (default Tests/Fixtures/histories/numpy-tickets.jsonl of this checkout)."),
            .init("candidates", value: "N", help: "Candidates per ranking (default 500)."),
            .init("queries", value: "N", help: "Tickets ranked (default 2000)."),
        ])
        let parsed = try spec.parse(arguments)
        let json = parsed.has("json")
        try ScoringBench.run(history: parsed["history"] ?? defaultHistory,
                             candidates: max(1, try parsed.int("candidates") ?? 500), queries: max(1, try parsed.int("queries") ?? 2000), report: emitter(json: json))
        return 0
    }

    /// The numpy history in the repository this executable was built from, whatever the current directory.
    static let defaultHistory = TestFixtures.numpyHistory.path

    /// Prints each result as it comes, as a JSON line or a text line.
    static func emitter(json: Bool) -> (BenchResult) -> Void {
        { result in
            print(json ? result.jsonLine : result.textLine)
            fflush(nil)
        }
    }

    /// `--bin-dir`, or the directory of this executable.
    static func binDir(_ parsed: ParsedArguments) -> String {
        parsed["bin-dir"] ?? (ChildProcess.currentExecutablePath() as NSString).deletingLastPathComponent
    }

    static func storage(_ arguments: [String]) async throws -> Int32 {
        let spec = CommandSpec(name: "smart-ticket-bench storage", summary: "Storage import and reads.", options: [
            .jsonLines,
            .init("history", value: "FILE", help: "Ticket history to import (default Tests/Fixtures/histories/numpy-tickets.jsonl of this checkout)."),
            .init("seconds", value: "S", help: "Duration of each 16-in-flight run (default 3)."),
            .binDir("Where smart-ticket-storage is (default: beside this executable)."),
        ])
        let parsed = try spec.parse(arguments)
        let json = parsed.has("json")
        try await StorageBench.run(
            binDir: binDir(parsed),
            history: parsed["history"] ?? defaultHistory,
            seconds: Double(parsed["seconds"] ?? "3") ?? 3,
            emit: emitter(json: json))
        return 0
    }

    static func skills(_ arguments: [String]) async throws -> Int32 {
        let spec = CommandSpec(name: "smart-ticket-bench skills", summary: "Skill detection of 1 KB tickets, in-process and through the skills process.", options: [
            .jsonLines,
            .init("history", value: "FILE", help: "Where the tickets come from (default Tests/Fixtures/histories/numpy-tickets.jsonl of this checkout)."),
            .init("seconds", value: "S", help: "Duration of the in-process and 16-in-flight runs (default 3)."),
            .binDir("Where smart-ticket-skills and -storage are (default: beside this executable)."),
            .init("cases", value: "FILES", help: "Instead, precision and recall on labelled cases: comma-separated JSONL files, or 'all' (skill-cases and the three title-cases sets of this checkout)."),
            .init("misses", help: "With --cases, list every case whose skills differ from its labels."),
        ])
        let parsed = try spec.parse(arguments)
        let json = parsed.has("json")
        if let cases = parsed["cases"] {
            try SkillCasesBench.run(paths: SkillCasesBench.paths(cases), misses: parsed.has("misses"), emit: emitter(json: json))
            return 0
        }
        try await SkillsBench.run(
            binDir: binDir(parsed),
            history: parsed["history"] ?? defaultHistory,
            seconds: Double(parsed["seconds"] ?? "3") ?? 3,
            emit: emitter(json: json))
        return 0
    }

    static func jira(_ arguments: [String]) async throws -> Int32 {
        let spec = CommandSpec(name: "smart-ticket-bench jira", summary: "Jira backfill and incremental sync against a fake Jira site.", options: [
            .jsonLines,
            .init("tickets", value: "N", help: "Tickets on the fake site (default 2000; a tenth are edited for the incremental sync)."),
            .binDir("Where smart-ticket and the services are (default: beside this executable)."),
        ])
        let parsed = try spec.parse(arguments)
        try await JiraSyncBench.run(binDir: binDir(parsed), tickets: max(10, try parsed.int("tickets") ?? 2000), emit: emitter(json: parsed.has("json")))
        return 0
    }

    static func codecs(_ arguments: [String]) throws -> Int32 {
        let spec = CommandSpec(name: "smart-ticket-bench codecs", summary: "Encode+decode pairs of the enveloped echo message, per codec.", options: [
            .jsonLines,
            .init("seconds", value: "S", help: "Duration of each codec run (default 3)."),
            .init("only", value: "NAME", help: "Run only the figure with this name, such as codec.binary (for profiling)."),
        ])
        let parsed = try spec.parse(arguments)
        let emit = emitter(json: parsed.has("json"))
        for result in try RPCBench.codecs(seconds: Double(parsed["seconds"] ?? "3") ?? 3, only: parsed["only"]) { emit(result) }
        return 0
    }

    static func rpc(_ arguments: [String]) async throws -> Int32 {
        let spec = CommandSpec(name: "smart-ticket-bench rpc", summary: "RPC round trips and codecs.", options: [
            .jsonLines,
            .init("iterations", value: "N", help: "Round trips with one in flight (default 20000)."),
            .init("seconds", value: "S", help: "Duration of the 16-in-flight run and of each codec run (default 3)."),
            .binDir("Where smart-ticket-skills is (default: beside this executable)."),
            .init("socket", value: "PATH", help: "Echo against a service already listening there (for profiling)."),
        ])
        let parsed = try spec.parse(arguments)
        let iterations = try parsed.int("iterations") ?? 20_000
        let seconds = Double(parsed["seconds"] ?? "3") ?? 3
        let binDir = binDir(parsed)
        let emit = emitter(json: parsed.has("json"))
        var payload: [UInt8] = []
        try defaultMessageCodec.encode(EchoMessage.sample(), appendingTo: &payload)
        let exe = ChildProcess.currentExecutablePath()
        emit(try RawEcho.measure(payload: payload, iterations: iterations) { path in
            try ChildProcess.spawn(path: exe, arguments: ["raw-echo-server", path], environment: ProcessInfo.processInfo.environment)
        })
        for result in try await RPCBench.echo(binDir: binDir, iterations: iterations, seconds: seconds, existingSocket: parsed["socket"]) { emit(result) }
        for result in try RPCBench.codecs(seconds: seconds) { emit(result) }
        return 0
    }
}
