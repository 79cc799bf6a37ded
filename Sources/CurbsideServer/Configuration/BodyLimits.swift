/// The largest bodies accepted, in bytes, by kind of request.
public struct BodyLimits: Sendable {
    /// Ordinary requests.
    public var request = 1 << 20
    /// Registry imports and channel statements.
    public var imports = 32 << 20
    /// Device event batches.
    public var ingest = 16 << 20
    /// Evidence images.
    public var image = 8 << 20

    public init() {}

    /// `CURBSIDE_MAX_BODY`, `CURBSIDE_MAX_IMPORT`, `CURBSIDE_MAX_INGEST`, `CURBSIDE_MAX_IMAGE`.
    init(reading curbside: SettingsReader) throws {
        let max = curbside.scoped(to: "max")
        request = try max.value("body", as: ByteSize.self)?.bytes ?? request
        imports = try max.value("import", as: ByteSize.self)?.bytes ?? imports
        ingest = try max.value("ingest", as: ByteSize.self)?.bytes ?? ingest
        image = try max.value("image", as: ByteSize.self)?.bytes ?? image
    }
}
