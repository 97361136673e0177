import Dispatch
import Synchronization

/// One in-flight call on the server: answered exactly once, by the handler, the deadline or a cancel.
///
/// A handler that finishes without suspending (echo, health, CPU-only work) runs entirely while its
/// frame is being read, when no cancel or deadline can interfere: such a call is never registered
/// with its connection nor given a deadline timer. Only a call still running when its task first
/// suspends is ``register()``ed, then ``attach(task:timer:)``ed.
final class ServerCall: Sendable {
    private struct State {
        var finished = false
        var registered = false
        var task: Task<Void, Never>?
        var timer: DeadlineTimer?
    }

    private let state = Mutex(State())

    /// Marks the call as tracked by its connection (cancel by id, deadline timer); false if it
    /// already finished, and then it must not be tracked.
    func register() -> Bool {
        state.withLock { state in
            if state.finished { return false }
            state.registered = true
            return true
        }
    }

    /// Attaches the handler's task; cancels it at once if the call already finished.
    func attach(task: Task<Void, Never>, timer: DeadlineTimer?) {
        let alreadyFinished = state.withLock { state -> Bool in
            state.task = task
            state.timer = timer
            return state.finished
        }
        if alreadyFinished {
            task.cancel()
            timer?.cancel()
        }
    }

    /// Marks the call finished; `first` only for the first caller, who then sends the answer.
    /// `registered` tells whether the connection tracks the call (and must forget it). With
    /// `cancelHandler`, the handler's task is cancelled too.
    func finish(cancelHandler: Bool) -> (first: Bool, registered: Bool) {
        let (first, registered, task, timer) = state.withLock { state -> (Bool, Bool, Task<Void, Never>?, DeadlineTimer?) in
            if state.finished { return (false, state.registered, nil, nil) }
            state.finished = true
            return (true, state.registered, state.task, state.timer)
        }
        if first {
            timer?.cancel()
            if cancelHandler { task?.cancel() }
        }
        return (first, registered)
    }
}
