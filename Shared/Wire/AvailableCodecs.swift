/// Every codec the project has, for benchmarks.
public let availableCodecs: [any MessageCodec] = [BinaryMessageCodec(), JSONMessageCodec()]
