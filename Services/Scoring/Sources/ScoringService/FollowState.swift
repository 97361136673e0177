/// How far a tenant's model has followed storage: every ticket written up to data version ``followed`` of database
/// ``epoch`` and every override up to decision ``lastOverride`` is learned (or was, at the load).
struct FollowState: Sendable {
    /// The database's epoch when the model was loaded; a version of another epoch (a restored database) means the
    /// model is dropped and loaded again.
    var epoch: Substring = ""
    var followed: Int64 = 0
    /// The id of the last override decision read.
    var lastOverride: Int64 = 0
    /// A follow is running; ``wanted`` is the newest version any request saw.
    var running = false
    var wanted: Int64 = 0
}
