import Foundation

/// The material tests, benchmarks and scripts read from `Tests/Fixtures/` (sources and licences in its
/// README.md), found from this file's path, so it is the checkout this code was built from whatever the
/// current directory is. Nothing outside the repository is read.
public enum TestFixtures {
    /// The repository root: two levels up from `Shared/Harness/`.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures`.
    public static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures")

    /// A file under `Tests/Fixtures`, e.g. `jira/openapi-subset.json`.
    public static func url(_ relativePath: String) -> URL { directory.appendingPathComponent(relativePath) }

    /// A ticket history in the JSONL import format (`docs/ticket-history.md`): `numpy` or `zookeeper`.
    public static func history(_ name: String) -> URL { url("histories/\(name)-tickets.jsonl") }

    /// The numpy history (19,415 tickets), the benchmarks' default.
    public static var numpyHistory: URL { history("numpy") }

    /// The zookeeper history (2,715 tickets).
    public static var zookeeperHistory: URL { history("zookeeper") }

    /// A Jira Cloud REST v3 shape under `jira/`, e.g. `jira-search-jql-response.json`.
    public static func jira(_ name: String) -> URL { url("jira/\(name)") }

    /// The OpenAI chat completions shapes (request, answers, errors).
    public static var openAIChatCompletions: URL { url("openai/openai-chat-completions.json") }

    /// The reference scorer of the replay protocol (`docs/evaluation.md`), run with python3.
    public static var replayScorer: URL { url("tools/replay_score.py") }
}
