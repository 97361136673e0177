/// What every decoder of one `BinaryDecoder.decode` call shares.
final class BinaryDecodingContext {
    let maxDepth: Int
    let userInfo: [CodingUserInfoKey: Any]

    init(maxDepth: Int, userInfo: [CodingUserInfoKey: Any]) {
        self.maxDepth = maxDepth
        self.userInfo = userInfo
    }
}
