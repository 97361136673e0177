import Dispatch
import Foundation

/// Delivers SIGTERM, SIGINT (and others asked for) as callbacks on a queue instead of killing the process.
public final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []   // set once in init, then read-only

    /// Watches `signals`, calling `handler` with the signal number on `queue`.
    public init(signals: [Int32] = [SIGTERM, SIGINT], queue: DispatchQueue = DispatchQueue(label: "signals"),
                handler: @escaping @Sendable (Int32) -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops watching; the signals stay ignored.
    public func cancel() {
        for source in sources { source.cancel() }
    }
}
