/// Wakes a waiting worker as soon as there is work, instead of it polling; and
/// lets shutting down wait for the workers to stop, but not for ever.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Bool, Never>?
    /// Counts waits, so that a late timer of one wait never ends the next.
    private var waits = 0

    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: true)
        } else {
            rung = true
        }
    }

    private func timeOut(_ wait: Int) {
        guard wait == waits, let waiter else { return }
        self.waiter = nil
        waiter.resume(returning: false)
    }

    /// Returns true when rung (or rung since the last wait), false after `timeout`.
    @discardableResult
    func wait(timeout: Duration) async -> Bool {
        if rung {
            rung = false
            return true
        }
        waits += 1
        let wait = waits
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.timeOut(wait)
        }
        let wasRung = await withCheckedContinuation { waiter = $0 }
        rung = false
        timer.cancel()
        return wasRung
    }
}
