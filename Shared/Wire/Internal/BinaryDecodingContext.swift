/// What every decoder of one `BinaryDecoder.decode` call shares.
final class BinaryDecodingContext {
    let maxDepth: Int
    let userInfo: [CodingUserInfoKey: Any]
    /// How the container types met so far decode.
    @exclusivity(unchecked) var kinds = BinaryLocalTypeCache<BinaryDecodeKind>()

    init(maxDepth: Int, userInfo: [CodingUserInfoKey: Any]) {
        self.maxDepth = maxDepth
        self.userInfo = userInfo
    }
}
