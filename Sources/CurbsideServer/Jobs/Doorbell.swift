/// Wakes a waiting worker as soon as there is work, instead of it polling.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns when rung, or after `timeout` at the latest.
    func wait(timeout: Duration) async {
        if rung {
            rung = false
            return
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.ring()
        }
        await withCheckedContinuation { waiter = $0 }
        rung = false
        timer.cancel()
    }
}
