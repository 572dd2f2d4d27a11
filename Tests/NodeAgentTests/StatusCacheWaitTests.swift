import Foundation
import PodAPI
import Testing

@testable import NodeAgent

/// ``StatusCache/waitForChange(after:)``: a reader suspended until the next status, woken by a
/// set or a removal, never by nothing, and released by its task's cancellation.
struct StatusCacheWaitTests {
    static func pod(_ name: String) -> Pod {
        Pod(metadata: ObjectMeta(name: name, namespace: "default", uid: "uid-\(name)"), spec: PodSpec(containers: []))
    }

    /// Whether `wait` returned within `seconds`.
    static func returns(within seconds: Double, _ wait: @escaping @Sendable () async -> Void) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await wait()
                return true
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    @Test func aChangeAlreadyCountedReturnsAtOnce() async {
        let cache = StatusCache()
        let before = cache.changeCount
        cache.set("uid-a", pod: Self.pod("a"))
        #expect(cache.changeCount == before + 1)
        #expect(await Self.returns(within: 1) { await cache.waitForChange(after: before) })
    }

    @Test func aWaiterSleepsUntilASetThenWakes() async {
        let cache = StatusCache()
        let now = cache.changeCount
        let waiter = Task { await cache.waitForChange(after: now) }
        // Nothing changed: it still waits.
        #expect(await !Self.returns(within: 0.2) { await cache.waitForChange(after: now) })
        cache.set("uid-a", pod: Self.pod("a"))
        #expect(await Self.returns(within: 2) { await waiter.value })
    }

    @Test func aRemovalWakesAndARemovalOfNothingDoesNot() async {
        let cache = StatusCache()
        cache.set("uid-a", pod: Self.pod("a"))
        let now = cache.changeCount
        cache.remove("uid-unknown")
        #expect(cache.changeCount == now)
        let waiter = Task { await cache.waitForChange(after: now) }
        cache.remove("uid-a")
        #expect(await Self.returns(within: 2) { await waiter.value })
    }

    @Test func cancellationReleasesTheWaiter() async {
        let cache = StatusCache()
        let waiter = Task { await cache.waitForChange(after: cache.changeCount) }
        try? await Task.sleep(nanoseconds: 50_000_000)
        waiter.cancel()
        #expect(await Self.returns(within: 2) { await waiter.value })
    }
}
