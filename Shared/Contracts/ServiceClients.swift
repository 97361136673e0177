import RPC

/// A client of the storage service: calls only ``StorageContract``'s methods.
public typealias StorageClient = ServiceClient<StorageContract>
/// A client of the skills service: calls only ``SkillsContract``'s methods.
public typealias SkillsClient = ServiceClient<SkillsContract>
/// A client of the scoring service: calls only ``ScoringContract``'s methods.
public typealias ScoringClient = ServiceClient<ScoringContract>
/// A client of the gateway's control methods: calls only ``GatewayContract``'s methods.
public typealias GatewayClient = ServiceClient<GatewayContract>
/// A client of the launcher's control socket: calls only ``LauncherContract``'s methods.
public typealias LauncherClient = ServiceClient<LauncherContract>
