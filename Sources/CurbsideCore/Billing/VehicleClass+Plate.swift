extension VehicleClass {
    /// The class a plate is priced as, before permits: police and armed-police
    /// plates are exempt, yellow plates are large vehicles, green plates and
    /// new-energy plates are new-energy cars, everything else is small.
    public static func of(_ plate: Plate, colour: PlateColour) -> VehicleClass {
        switch plate.kind {
        case .police, .armedPolice: return .exempt
        default: break
        }
        switch colour {
        case .yellow, .yellowGreen: return .large
        case .green: return .nev
        default: return plate.kind == .newEnergy ? .nev : .small
        }
    }
}
