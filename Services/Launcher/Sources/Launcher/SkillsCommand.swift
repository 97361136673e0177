import Contracts
import Foundation
import Lifecycle
import Observability
import RPC
import SkillsCore
import SkillsService

/// `smart-ticket skills detect`: the skills a ticket needs, as JSON.
enum SkillsCommand {
    static let spec = CommandSpec(
        name: "smart-ticket skills detect", summary: "Detect the skills a ticket needs (local detector in-process, or the running service).",
        options: [
            .init("title", value: "T", help: "Ticket title (required)."),
            .init("description", value: "D", help: "Description: plain text, Markdown, Jira wiki markup or ADF JSON."),
            .init("components", value: "A,B", help: "Components, comma-separated."),
            .init("labels", value: "A,B", help: "Labels, comma-separated."),
            .init("run-dir", value: "DIR", help: "Ask the running skills service instead (uses the tenant's learned skills and model)."),
            .tenant("Tenant for --run-dir (default demo)."),
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(subcommand: arguments, synopsis: "--title T [--description D]")
        func list(_ name: String) -> [String] { (parsed[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        let request = SkillsContract.DetectRequest(title: try parsed.require("title"), description: parsed["description"] ?? "",
                                                   components: list("components"), labels: list("labels"))
        let skills: [DetectedSkill]
        if let runDir = parsed["run-dir"] {
            let runDirectory = RunDirectory(path: ServeCommand.absolute(runDir))
            try RunningServices.require(.skills, in: runDirectory)
            let client = SkillsClient(service: "skills", socketPaths: runDirectory.sockets(.skills, count: 1))
            defer { client.close() }
            skills = try await client.call(SkillsContract.detect, request, metadata: Metadata(tenant: parsed["tenant"] ?? "demo", principal: "cli")).skills
        } else {
            let engine = SkillsEngine(taxonomy: try SkillTaxonomy.bundled(), provider: nil, storage: nil, cacheTTL: 1,
                                      logger: Logger(label: "cli", sink: .discard))
            skills = engine.detectLocally(request)
        }
        struct Output: Encodable { let skills: [DetectedSkill] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(Output(skills: skills)), as: UTF8.self))
        return 0
    }
}
