import Lifecycle

/// The skills service's part of the configuration (`skills.*`): the optional model provider and the
/// detection cache and vocabulary. Read with `configuration[SkillsSettings.self]`.
public struct SkillsSettings: ConfigurationSection {
    public var modelBaseURL = ""
    public var modelName = "gpt-4o-mini"
    public var modelAPIKeyEnv = "OPENAI_API_KEY"
    public var modelAPIKeyFile = ""
    public var modelTimeoutSeconds = 10.0
    public var cacheTTLSeconds = 7 * 86_400.0
    public var vocabularyRefreshSeconds = 300.0
    public var tenantIdleSeconds = 3600.0

    public init() {}

    public static let keys: [ConfigurationKey<SkillsSettings>] = [
        .string("skills.model.baseURL", "OpenAI-compatible API base URL (for example https://api.openai.com/v1); empty: local detector only.",
                \.modelBaseURL, allowEmpty: true),
        .string("skills.model.name", "Model name sent to the provider.", \.modelName),
        .string("skills.model.apiKeyEnv", "Environment variable holding the provider's API key.", \.modelAPIKeyEnv),
        .string("skills.model.apiKeyFile", "File holding the provider's API key (wins over apiKeyEnv).", \.modelAPIKeyFile, allowEmpty: true),
        .double("skills.model.timeoutSeconds", "Time one model call may take (within the caller's deadline).", \.modelTimeoutSeconds, 0.1...120),
        .double("skills.cacheTTLSeconds", "How long detected skills are cached by content hash.", \.cacheTTLSeconds, 1...(90 * 86_400)),
        .double("skills.vocabularyRefreshSeconds",
                "A tenant's learned skill vocabulary is rebuilt from its resolved tickets when its data changed, at most this often.",
                \.vocabularyRefreshSeconds, 0...86_400),
        .double("skills.tenantIdleSeconds",
                "A tenant's vocabulary unused for this long is dropped (and loaded again from storage when next needed); 0 keeps it.",
                \.tenantIdleSeconds, 0...(30 * 86_400)),
    ]
}
