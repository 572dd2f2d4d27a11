import Testing

@testable import CRIRuntime

@Suite("CRI connection rotation (no runtime needed)")
struct ConnectionRotationTests {
    @Test("calls stay on lane 0 until it has carried its budget; the next call opens lane 1")
    func rotatesAfterTheBudget() {
        var rotation = ConnectionRotation(callsPerConnection: 3)
        var lanes: [Int] = []
        var opened: [Int] = []
        for _ in 0..<7 {
            let acquired = rotation.acquire()
            lanes.append(acquired.lane)
            if acquired.opensLane { opened.append(acquired.lane) }
            #expect(acquired.shutsDown == (acquired.opensLane ? acquired.lane - 1 : nil), "the idle old lane closes")
            #expect(rotation.release(lane: acquired.lane) == nil, "the lane released is the current one")
        }
        #expect(lanes == [0, 0, 0, 1, 1, 1, 2])
        #expect(opened == [1, 2])
    }

    @Test("an idle replaced lane is shut down at once, by the call that replaces it")
    func idleLaneShutsDownAtOnce() {
        var rotation = ConnectionRotation(callsPerConnection: 1)
        let first = rotation.acquire()
        #expect(first == .init(lane: 0, opensLane: false, shutsDown: nil))
        #expect(rotation.release(lane: 0) == nil, "lane 0 is still current")
        let second = rotation.acquire()
        #expect(second == .init(lane: 1, opensLane: true, shutsDown: 0))
        #expect(rotation.draining.isEmpty)
    }

    @Test("a replaced lane with calls in flight drains: shut down when its last call ends, not before")
    func busyLaneDrains() {
        var rotation = ConnectionRotation(callsPerConnection: 2)
        let a = rotation.acquire()
        let b = rotation.acquire()
        #expect(a.lane == 0 && b.lane == 0)
        let c = rotation.acquire()
        #expect(c == .init(lane: 1, opensLane: true, shutsDown: nil), "lane 0 has two calls in flight")
        #expect(rotation.draining == [0])
        #expect(rotation.release(lane: 0) == nil, "one call still in flight on lane 0")
        #expect(rotation.release(lane: 0) == 0, "the last call on lane 0 ends: shut it down")
        #expect(rotation.draining.isEmpty)
        #expect(rotation.release(lane: 1) == nil, "lane 1 is current")
        #expect(rotation.inFlight.isEmpty)
    }

    @Test("when no new connection can be made the call stays on the current lane, over budget, and the next call tries again")
    func staysWhenItCannotOpen() {
        var rotation = ConnectionRotation(callsPerConnection: 1)
        _ = rotation.acquire()
        #expect(rotation.rotatesNext)
        let stayed = rotation.acquire(canOpen: false)
        #expect(stayed == .init(lane: 0, opensLane: false, shutsDown: nil))
        #expect(rotation.inFlight[0] == 2)
        let moved = rotation.acquire()
        #expect(moved == .init(lane: 1, opensLane: true, shutsDown: nil), "lane 0 still has calls in flight")
        #expect(rotation.release(lane: 0) == nil)
        #expect(rotation.release(lane: 0) == 0)
    }

    @Test("releasing a lane with nothing in flight changes nothing")
    func strayReleaseIsIgnored() {
        var rotation = ConnectionRotation(callsPerConnection: 5)
        let before = rotation
        #expect(rotation.release(lane: 7) == nil)
        #expect(rotation == before)
    }
}
