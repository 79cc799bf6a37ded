import CurbsideCore

/// The vehicles of a simulated town: mostly local blue plates, some green
/// new-energy and yellow large-vehicle plates, a few from elsewhere. Cars come
/// back, so the same plate parks several times a day.
struct PlatePool {
    struct Vehicle {
        var plate: Plate
        var colour: String
    }

    private(set) var vehicles: [Vehicle] = []
    private static let serialLetters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    private static let digits = Array("0123456789")
    private static let prefixes: [(String, Int)] = [("粤J", 85), ("粤A", 5), ("粤E", 4), ("桂A", 3), ("湘A", 3)]

    init(count: Int, random: inout SplitMix64) {
        var seen = Set<String>()
        while vehicles.count < count {
            let prefix = Self.pick(Self.prefixes, &random)
            let roll = random.next() % 100
            var text = prefix
            let colour: String
            if roll < 9 {
                text.append(random.chance(0.8) ? "D" : "F")
                for _ in 0..<5 { text.append(Self.digits[Int(random.next() % 10)]) }
                colour = "green"
            } else {
                let letters = Int(random.next() % 3)
                let positions = Set((0..<letters).map { _ in Int(random.next() % 5) })
                for position in 0..<5 {
                    text.append(positions.contains(position)
                        ? Self.serialLetters[Int(random.next() % UInt64(Self.serialLetters.count))]
                        : Self.digits[Int(random.next() % 10)])
                }
                colour = roll < 12 ? "yellow" : "blue"
            }
            guard seen.insert(text).inserted, let plate = try? Plate(parsing: text) else { continue }
            vehicles.append(Vehicle(plate: plate, colour: colour))
        }
    }

    /// The `slot`th of `slots` equal parts of the town's cars.
    func part(_ slot: Int, of slots: Int) -> PlatePool {
        var part = self
        part.vehicles = vehicles.enumerated().filter { $0.offset % slots == slot }.map(\.element)
        return part
    }

    func any(_ random: inout SplitMix64) -> Vehicle {
        vehicles[Int(random.next() % UInt64(vehicles.count))]
    }

    /// A plausible misreading of `plate`: one character swapped for one cameras
    /// confuse with it, still a valid plate; nil if it has none.
    static func misread(_ plate: Plate, _ random: inout SplitMix64) -> Plate? {
        guard plate.kind == .ordinary else { return nil }
        let characters = Array(plate.text)
        var options: [Plate] = []
        for index in 2..<characters.count {
            for other in Plate.lookAlikes(of: characters[index]) {
                var changed = characters
                changed[index] = other
                if let misread = try? Plate(parsing: String(changed)), misread.kind == .ordinary, misread.isProbableMisread(of: plate) {
                    options.append(misread)
                }
            }
        }
        options.sort { $0.text < $1.text }
        return options.isEmpty ? nil : options[Int(random.next() % UInt64(options.count))]
    }

    /// What a camera makes of a dirty or bent plate: two serial characters it could not read.
    static func unreadable(_ plate: Plate, _ random: inout SplitMix64) -> String {
        var characters = Array(plate.text)
        let first = 2 + Int(random.next() % UInt64(characters.count - 2))
        let second = 2 + (first - 2 + 1 + Int(random.next() % UInt64(characters.count - 3))) % (characters.count - 2)
        characters[first] = "#"
        characters[second] = "#"
        return String(characters)
    }

    private static func pick(_ weighted: [(String, Int)], _ random: inout SplitMix64) -> String {
        var roll = Int(random.next() % UInt64(weighted.reduce(0) { $0 + $1.1 }))
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted[0].0
    }
}
