import Contracts

extension Configuration {
    /// The configured number of instances of `kind`.
    public func instances(of kind: ServiceKind) -> Int {
        switch kind {
        case .storage: return storageInstances
        case .skills: return skillsInstances
        case .scoring: return scoringInstances
        case .gateway: return 1
        }
    }
}
