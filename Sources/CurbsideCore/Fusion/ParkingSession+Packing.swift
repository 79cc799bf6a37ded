extension ParkingSession {
    func pack(into writer: inout PackedWriter) {
        writer.string(bay.rawValue)
        writer.int(start)
        writer.int(end)
        writer.bool(plate != nil)
        plate?.pack(into: &writer)
        writer.string(plateSource)
        writer.string(quality.rawValue)
        writer.int(flags.rawValue)
        writer.int(evidence.count)
        for digest in evidence { writer.digest(digest) }
        writer.int(lastEvidence)
    }

    init(unpacking reader: inout PackedReader) throws(PackingError) {
        guard let bay = try? BayCode(parsing: try reader.string()) else { throw PackingError(offset: reader.offset) }
        self.bay = bay
        start = try reader.int64()
        end = try reader.optionalInt64()
        plate = try reader.bool() ? try PlateRead(unpacking: &reader) : nil
        plateSource = try reader.optionalString()
        guard let quality = Quality(rawValue: try reader.string()) else { throw PackingError(offset: reader.offset) }
        self.quality = quality
        flags = Flags(rawValue: try reader.int())
        evidence = []
        for _ in 0..<(try reader.count()) { evidence.append(try reader.digest()) }
        lastEvidence = try reader.int64()
    }
}

extension PlateRead {
    func pack(into writer: inout PackedWriter) {
        writer.string(plate.text)
        writer.string(plate.kind.rawValue)
        writer.string(colour.rawValue)
        writer.int(confidence)
        writer.int(images.count)
        for digest in images { writer.digest(digest) }
    }

    init(unpacking reader: inout PackedReader) throws(PackingError) {
        let text = try reader.string()
        guard let kind = Plate.Kind(rawValue: try reader.string()), let colour = PlateColour(rawValue: try reader.string()) else {
            throw PackingError(offset: reader.offset)
        }
        plate = Plate(text: text, kind: kind)
        self.colour = colour
        confidence = try reader.int()
        images = []
        for _ in 0..<(try reader.count()) { images.append(try reader.digest()) }
    }
}
