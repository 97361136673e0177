/// Which instance of a service an ``RPCClient`` calls first (an instance that cannot be reached is tried last either way).
public enum InstanceChoice: Sendable {
    /// The next instance in turn: calls spread evenly.
    case roundRobin
    /// The same instance for every call of a tenant (by rendezvous hashing of the call's `tenant` metadata; round robin
    /// for calls without one), so a service that keeps per-tenant state in memory (scoring's models, skills'
    /// vocabularies) keeps each tenant in one instance instead of all. Adding or losing an instance moves only the
    /// tenants of that instance.
    case byTenant

    /// The instance preferred for `tenant` among `count`: the highest FNV-1a hash of the tenant and the instance number.
    static func preferred(tenant: String, count: Int) -> Int {
        var best = 0
        var bestScore: UInt64 = 0
        for instance in 0..<count {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in tenant.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            hash = (hash ^ UInt64(instance) ^ 0xff) &* 0x100_0000_01b3
            hash ^= hash >> 29
            hash = hash &* 0xbf58_476d_1ce4_e5b9
            hash ^= hash >> 32
            if instance == 0 || hash > bestScore {
                best = instance
                bestScore = hash
            }
        }
        return best
    }
}
