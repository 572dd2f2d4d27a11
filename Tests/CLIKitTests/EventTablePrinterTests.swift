import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// `inplacectl events` as `kubectl get events`, and describe's event ages.
@Suite("Event table")
struct EventTablePrinterTests {
    static let events = [
        Fixtures.event(
            "BackOff", pod: "web", type: "Warning", message: "Back-off restarting failed container app",
            count: 3, firstAgo: 300, lastAgo: 30),
        Fixtures.event("Pulled", pod: "web", message: "Container image \"nginx:1.25\" already present on machine\n", firstAgo: 3600),
        Fixtures.event("Started", pod: "db", namespace: "data", message: "Started container postgres", firstAgo: 600),
    ]

    @Test("LAST SEEN TYPE REASON OBJECT MESSAGE, by last timestamp")
    func table() {
        #expect(
            EventTablePrinter(now: Fixtures.now).print(Self.events) == """
                LAST SEEN   TYPE      REASON    OBJECT    MESSAGE
                60m         Normal    Pulled    pod/web   Container image "nginx:1.25" already present on machine
                10m         Normal    Started   pod/db    Started container postgres
                30s         Warning   BackOff   pod/web   Back-off restarting failed container app

                """)
    }

    @Test("-A adds NAMESPACE first")
    func allNamespaces() {
        let text = EventTablePrinter(withNamespace: true, now: Fixtures.now).print([Self.events[2]])
        #expect(
            text == """
                NAMESPACE   LAST SEEN   TYPE     REASON    OBJECT   MESSAGE
                data        10m         Normal   Started   pod/db   Started container postgres

                """)
    }

    @Test("describe's Age aggregates a repeated event as (xN over first)")
    func aggregation() {
        #expect(PodDescriber.eventAge(Self.events[0], now: Fixtures.now) == "30s (x3 over 5m)")
        #expect(PodDescriber.eventAge(Self.events[1], now: Fixtures.now) == "60m")
        let twice = Fixtures.event("Killing", pod: "web", message: "m", count: 2, firstAgo: 90_000, lastAgo: 7200)
        #expect(PodDescriber.eventAge(twice, now: Fixtures.now) == "120m (x2 over 25h)")
    }

    @Test("describe prints Events: <none> when a pod has none")
    func noEvents() {
        let text = PodDescriber(now: Fixtures.now).describe(Fixtures.pod("web", statuses: []), updates: [], events: [])
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.suffix(2) == ["In-place Updates: <none>", "Events: <none>"])
    }
}
