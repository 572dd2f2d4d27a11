import APIRegistry
import Testing

@testable import APIServer

@Suite("Open watches at shutdown")
struct OpenWatchesTests {
    @Test("closeAll ends every open watch stream and every later one")
    func closeAll() async throws {
        let open = OpenWatches()
        let (events, _) = AsyncStream<WatchEvent>.makeStream()
        let stream = WatchStream.merged(events, kind: "Pod", apiVersion: "v1", timeoutSeconds: 1800, bookmarkSeconds: nil, open: open)
        #expect(open.count == 1)
        let ended = Task { () -> Int in
            var n = 0
            for await _ in stream { n += 1 }
            return n
        }
        open.closeAll()
        #expect(await ended.value == 0)
        #expect(open.count == 0)
        let (later, _) = AsyncStream<WatchEvent>.makeStream()
        let late = WatchStream.merged(later, kind: "Pod", apiVersion: "v1", timeoutSeconds: 1800, bookmarkSeconds: nil, open: open)
        var count = 0
        for await _ in late { count += 1 }
        #expect(count == 0)
    }
}
