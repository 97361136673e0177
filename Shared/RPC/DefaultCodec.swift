import Wire

/// The codec every service speaks unless told otherwise (chosen on benchmark figures).
public let defaultMessageCodec: any MessageCodec = BinaryMessageCodec()
