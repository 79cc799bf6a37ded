/// Lengths of time as stored instants count them: `15 * Milliseconds.minute`.
public enum Milliseconds {
    public static let second: Int64 = 1_000
    public static let minute: Int64 = 60_000
    public static let hour: Int64 = 3_600_000
    public static let day: Int64 = 86_400_000
}
