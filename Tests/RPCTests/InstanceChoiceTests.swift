import Harness
import Testing
@testable import RPC

/// A client choosing instances by tenant sends every call of a tenant to the same instance, spreads tenants, and moves
/// only the tenants of an instance that is gone.
@Suite struct InstanceChoiceTests {
    @Test func eachTenantsCallsGoToOneInstanceAndTenantsSpread() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let paths = (0..<3).map { directory.file("s\($0).sock") }
        let servers = try paths.enumerated().map { try startTestServer($0.element, instance: $0.offset) }
        defer { servers.forEach { $0.stop() } }
        let client = RPCClient(service: "test", socketPaths: paths, instanceChoice: .byTenant)
        defer { client.close() }
        func instance(_ tenant: String?) async throws -> Int {
            try await client.call(StandardMethods.info, .init(), metadata: Metadata(tenant: tenant)).instance
        }
        var used = Set<Int>()
        for tenant in (0..<12).map({ "tenant-\($0)" }) {
            let first = try await instance(tenant)
            for _ in 0..<4 { #expect(try await instance(tenant) == first) }
            #expect(first == InstanceChoice.preferred(tenant: tenant, count: 3))
            used.insert(first)
        }
        #expect(used.count == 3, "12 tenants all went to \(used)")
        // Calls without a tenant take turns.
        var turns = Set<Int>()
        for _ in 0..<6 { turns.insert(try await instance(nil)) }
        #expect(turns.count == 3)
    }

    @Test func losingAnInstanceMovesOnlyItsTenants() {
        let tenants = (0..<300).map { "t\($0)" }
        // Rendezvous hashing: with instance 3 of 4 gone, a tenant keeps its instance unless it was on instance 3.
        for tenant in tenants {
            let withFour = InstanceChoice.preferred(tenant: tenant, count: 4)
            if withFour != 3 { #expect(InstanceChoice.preferred(tenant: tenant, count: 3) == withFour) }
        }
        let counts = Dictionary(grouping: tenants) { InstanceChoice.preferred(tenant: $0, count: 4) }.mapValues(\.count)
        #expect(counts.values.allSatisfy { $0 > 40 }, "\(counts)")
    }
}
