import Foundation

/// A simulator's switch, read and written under its own lock: tests flip
/// switches while the simulator answers requests on other threads.
@propertyWrapper
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(wrappedValue: Value) {
        value = wrappedValue
    }

    public var wrappedValue: Value {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
