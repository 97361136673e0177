/// How an ``RPCClient`` treats a call made from a thread that may block (``Posix/BlockingThread``), chosen when the
/// client is made so that reading its construction says whether its calls can block their thread.
public enum BlockingCallers: Sendable {
    /// Every call suspends its task and is answered through the multiplexed connections (a reader thread resumes it).
    /// The default, and the only choice for code that runs on Swift's cooperative pool.
    case suspend
    /// A call made alone from a ``Posix/BlockingThread`` (the gateway's HTTP connection threads) blocks that thread on
    /// a connection of its own until answered: one wake-up instead of two or three. Calls from any other thread, and
    /// calls while others are in flight, still suspend, so a pool thread never blocks.
    case waitInPlace
}
