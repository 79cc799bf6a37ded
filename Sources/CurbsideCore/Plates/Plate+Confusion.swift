extension Plate {
    /// Characters plate-reading cameras take for one another, each group
    /// interchangeable: closed shapes (0 D Q), the 8 family (8 B 3), thin
    /// strokes (1 7 T), Z-shapes (2 Z), S-shapes (5 S), 6 and G, the
    /// many-legged letters (M N H W), U and V, E and F, A and 4; and province
    /// characters that share their larger part, which a low-resolution or dirty
    /// plate leaves as the only visible one. I and O never occur on plates
    /// (they are read as 1 and 0) and so are not listed. In a fixed order, so
    /// whatever walks the table (the simulator) does the same on every run.
    public static let confusionGroups: [[Character]] = [
        ["0", "D", "Q"], ["8", "B", "3"], ["1", "7", "T"], ["2", "Z"], ["5", "S"], ["6", "G"], ["M", "N", "H", "W"], ["U", "V"],
        ["E", "F"], ["A", "4"],
        ["津", "沪", "浙", "湘", "渝"], ["苏", "蒙"], ["晋", "青"], ["鲁", "鄂"], ["陕", "豫"], ["贵", "赣"],
    ]

    private static let groupOf: [Character: Int] = {
        var groups: [Character: Int] = [:]
        for (index, group) in confusionGroups.enumerated() {
            for character in group { groups[character] = index }
        }
        return groups
    }()

    /// Whether a camera could read `a` where `b` is.
    public static func confusable(_ a: Character, _ b: Character) -> Bool {
        a != b && groupOf[a] != nil && groupOf[a] == groupOf[b]
    }

    /// The characters a camera could read in place of `character`, in table order.
    public static func lookAlikes(of character: Character) -> [Character] {
        groupOf[character].map { confusionGroups[$0].filter { $0 != character } } ?? []
    }

    /// Differs from `other` in exactly one character, and that one a look-alike:
    /// during one continuous stay, the same plate misread, never another car.
    public func isProbableMisread(of other: Plate) -> Bool {
        guard kind != .unrecognised, other.kind != .unrecognised else { return false }
        let a = Array(text), b = Array(other.text)
        guard a.count == b.count else { return false }
        var difference: (Character, Character)?
        for (x, y) in zip(a, b) where x != y {
            guard difference == nil else { return false }
            difference = (x, y)
        }
        guard let difference else { return false }
        return Self.confusable(difference.0, difference.1)
    }
}
