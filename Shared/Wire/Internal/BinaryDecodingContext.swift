/// What every decoder of one `BinaryDecoder.decode` call shares.
final class BinaryDecodingContext {
    let maxDepth: Int
    let userInfo: [CodingUserInfoKey: Any]
    /// Whether `BinaryCodable` values read themselves (`BinaryDecoder.useBinaryCodable`).
    let usesBinaryCodable: Bool
    /// How the container types met so far decode.
    @exclusivity(unchecked) var kinds = BinaryLocalTypeCache<BinaryDecodeKind>()

    /// Decoders whose value is decoded, by the type they decoded, for the next value of that type.
    @exclusivity(unchecked) private var freeDecoders: [(type: ObjectIdentifier, decoder: BinaryDecoderImpl)] = []

    init(maxDepth: Int, userInfo: [CodingUserInfoKey: Any], usesBinaryCodable: Bool) {
        self.maxDepth = maxDepth
        self.userInfo = userInfo
        self.usesBinaryCodable = usesBinaryCodable
    }

    /// Ends the decode: breaks the cycles through the recycled decoders (they hold this context,
    /// and their kept containers hold them).
    func finish() {
        for entry in freeDecoders { entry.decoder.dropKeptContainer() }
        freeDecoders.removeAll()
    }

    /// A decoder that decoded a `T` before and is free, if any.
    @inline(__always)
    func takeDecoder<T>(for type: T.Type) -> BinaryDecoderImpl? {
        let id = ObjectIdentifier(type)
        var index = freeDecoders.count &- 1
        while index >= 0 {
            if freeDecoders[index].type == id {
                return freeDecoders.remove(at: index).decoder
            }
            index &-= 1
        }
        return nil
    }

    /// Takes back a decoder after its `init(from:)` returned (or threw). (A value must not keep its
    /// decoder or containers: see `BinaryDecoder`. One kept anyway would see later values.)
    @inline(__always)
    func giveBack<T>(_ decoder: BinaryDecoderImpl, for type: T.Type) {
        if freeDecoders.count < Self.maxFreeDecoders {
            freeDecoders.append((ObjectIdentifier(type), decoder))
        } else {
            decoder.dropKeptContainer()
        }
    }

    /// Bounds the recycled decoders of one decode (nested values of one type each hold one).
    private static var maxFreeDecoders: Int { 16 }
}

/// A keyed container kept by a recycled decoder (see `BinaryDecoderImpl.container(keyedBy:)`).
class BinaryKeptContainerBase {}

final class BinaryKeptContainer<Key: CodingKey>: BinaryKeptContainerBase {
    let container: KeyedDecodingContainer<Key>

    init(_ container: KeyedDecodingContainer<Key>) {
        self.container = container
    }
}
