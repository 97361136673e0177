/// One delivery at a time per ticket: Jira may deliver the same event twice at once (a retry while the
/// first is still being answered), and two deliveries checked against the same stored ticket before
/// either is stored would both be applied (two decisions, or an older one stored last). Waiters are
/// served in arrival order; different tickets never wait for each other.
actor WebhookTurns {
    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` when no other delivery for `key` is running.
    func serialized<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(key)
        do {
            let value = try await body()
            release(key)
            return value
        } catch {
            release(key)
            throw error
        }
    }

    private func acquire(_ key: String) async {
        if busy.insert(key).inserted { return }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            busy.remove(key)
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue.isEmpty ? nil : queue
        next.resume()   // the turn passes on: the key stays busy
    }
}
