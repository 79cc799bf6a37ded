/// Where Curbside finds what it loads and keeps what it writes.
public struct FileSettings: Sendable {
    /// Holds the SQLite file, the signing key and evidence images.
    public var data: String
    /// GeoJSON loaded into an empty registry.
    public var zones = "Zones"
    /// Tariff and holiday calendar files, and by default the concession contract.
    public var tariffs = "Tariffs"
    /// Evidence images, by digest.
    public var evidence: String
    /// The concession contract file; nil reads `concession.yaml` in the tariffs directory when it is there.
    public var concession: String?
    /// The notice texts, `<language>/<kind>.txt`; nil reads `notices` in the tariffs directory.
    public var noticeTexts: String?

    public init(data: String) {
        self.data = data
        self.evidence = data + "/evidence"
    }

    /// `CURBSIDE_DATA_DIR`, `CURBSIDE_ZONES_DIR`, `CURBSIDE_TARIFFS_DIR`, `CURBSIDE_EVIDENCE_DIR`, `CURBSIDE_CONCESSION_FILE`,
    /// `CURBSIDE_NOTICE_TEXTS_DIR`.
    init(reading curbside: SettingsReader) {
        self.init(data: curbside.text("dataDir") ?? ".curbside")
        zones = curbside.text("zonesDir") ?? zones
        tariffs = curbside.text("tariffsDir") ?? tariffs
        evidence = curbside.text("evidenceDir") ?? evidence
        concession = curbside.text("concessionFile")
        noticeTexts = curbside.text("noticeTextsDir")
    }
}
