import CurbsideStore

extension StoreKind {
    /// The stores a parameterised store test runs on: SQLite always, PostgreSQL
    /// where it is installed or required. Where it is left out, the
    /// "PostgreSQL is available" test of the target reports the skip and why.
    public static var testCases: [StoreKind] {
        TestPostgres.isAvailable || TestPostgres.isRequired ? [.sqlite, .postgres] : [.sqlite]
    }
}
