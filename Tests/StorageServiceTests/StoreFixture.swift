import Foundation
import Harness
import Observability
@testable import StorageService

/// Runs `body` with a store on a fresh database file holding the tenant `acme`, then closes and removes it.
func withStore(_ body: (Store, TemporaryDirectory) async throws -> Void) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let store = try Store(path: dir.file("test.sqlite"), logger: Logger(label: "test", sink: .discard))
    defer { store.close() }
    _ = try await store.putTenant("acme", .init(name: "Acme"))
    try await body(store, dir)
}
