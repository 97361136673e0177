import Testing
@testable import RPC

@Suite struct MethodTableTests {
    private func handler(_ tag: Int) -> Router.Handler {
        { _, _ in .immediate { _, codec, out in try codec.encode(tag, appendingTo: &out) } }
    }

    private func find(_ table: MethodTable, _ name: String) -> String? {
        Array(name.utf8).withUnsafeBytes { table.entry(named: $0)?.name }
    }

    @Test func methodsAreFoundByTheirExactBytes() {
        var table = MethodTable()
        table.add("test.v1/Add", handler: handler(1), answersWhileDraining: false, latency: nil)
        table.add("test.v1/Adx", handler: handler(2), answersWhileDraining: false, latency: nil)
        table.add("health.v1/Check", handler: handler(3), answersWhileDraining: true, latency: nil)
        #expect(find(table, "test.v1/Add") == "test.v1/Add")
        #expect(find(table, "test.v1/Adx") == "test.v1/Adx")
        #expect(find(table, "health.v1/Check") == "health.v1/Check")
        #expect(Array("health.v1/Check".utf8).withUnsafeBytes { table.entry(named: $0)?.answersWhileDraining } == true)
        // Same length, a prefix, a longer name, nothing at all.
        #expect(find(table, "test.v1/Ady") == nil)
        #expect(find(table, "test.v1/Ad") == nil)
        #expect(find(table, "test.v1/Addd") == nil)
        #expect(find(table, "") == nil)
        #expect(table.names.count == 3)
    }

    @Test func addingANameAgainReplacesIt() {
        var table = MethodTable()
        table.add("a.v1/B", handler: handler(1), answersWhileDraining: false, latency: nil)
        table.add("a.v1/B", handler: handler(2), answersWhileDraining: true, latency: nil)
        #expect(table.names == ["a.v1/B"])
        #expect(Array("a.v1/B".utf8).withUnsafeBytes { table.entry(named: $0)?.answersWhileDraining } == true)
    }
}
