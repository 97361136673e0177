import Foundation
import Synchronization

/// Admission for one Jira site: at most `maxInFlight` requests at once, and a pause that every
/// request waits out after the site said it was overloaded (429/503 with `Retry-After`).
public actor SiteLimiter {
    private let maxInFlight: Int
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var pausedUntil: UInt64 = 0
    /// The largest number of requests that were in flight at once (for tests and logs).
    public private(set) var peakInFlight = 0

    public init(maxInFlight: Int) { self.maxInFlight = max(1, maxInFlight) }

    /// Waits for a free slot, then out any pause.
    func acquire() async {
        if inFlight >= maxInFlight {
            await withCheckedContinuation { waiters.append($0) }   // the slot is handed over by `release`
        } else {
            inFlight += 1
        }
        peakInFlight = max(peakInFlight, inFlight)
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard pausedUntil > now else { break }
            try? await Task.sleep(nanoseconds: pausedUntil - now)
        }
    }

    func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Holds every request of the site back for `seconds`.
    func pause(seconds: Double) {
        let until = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
        pausedUntil = max(pausedUntil, until)
    }

    /// One limiter per site (scheme, host and port), shared by every client of the process.
    public static func shared(for site: URL, maxInFlight: Int) -> SiteLimiter {
        let key = "\(site.scheme ?? "")://\(site.host ?? ""):\(site.port ?? 0)"
        return registry.withLock { limiters in
            if let existing = limiters[key] { return existing }
            let limiter = SiteLimiter(maxInFlight: maxInFlight)
            limiters[key] = limiter
            return limiter
        }
    }

    private static let registry = Mutex<[String: SiteLimiter]>([:])
}
