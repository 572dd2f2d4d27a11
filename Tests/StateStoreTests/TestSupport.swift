// swift-format-ignore-file: AmbiguousTrailingClosureOverload

import Foundation

@testable import StateStore

/// A fresh temporary directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("statestore-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

/// An async variant of `withTemporaryDirectory`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("statestore-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

/// A fixed instant with a sub-millisecond fraction, to show that dates round-trip exactly.
let t0 = Date(timeIntervalSince1970: 1_700_000_000.123456)

func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

func makePod(uid: String = "uid-1", namespace: String = "default", name: String = "web") -> PodRecord {
    PodRecord(
        uid: uid, namespace: namespace, name: name, source: "/etc/inplaced/pods/\(name).yaml",
        podJSON: #"{"metadata":{"name":"\#(name)"}}"#, createdAt: t0, updatedAt: t0)
}

func makeContainer(podUID: String = "uid-1", name: String = "app", image: String = "nginx:1.25") -> ContainerRecord {
    ContainerRecord(
        podUID: podUID, name: name, hash: "1a2b3c4d", hashAlgorithm: "fnv32a-name-image",
        containerID: "c-\(name)", image: image, imageID: "sha256:aaa", restartCount: 0,
        lifecycle: .running(startedAt: t0), startedAt: t0, updatedAt: t0)
}

func makeUpdate(podUID: String = "uid-1", container: String = "app") -> InPlaceUpdateRecord {
    InPlaceUpdateRecord(
        podUID: podUID, containerName: container, fromImage: "nginx:1.25", toImage: "nginx:1.26",
        toHash: "deadbeef", hashAlgorithm: "fnv32a-name-image", oldContainerID: "c-old",
        oldImageID: "sha256:old", startedAt: t0, updatedAt: t0)
}

func makeEvent(
    podUID: String = "uid-1", reason: String = "Pulled", message: String = "pulled nginx:1.26",
    fieldPath: String? = "spec.containers{app}", at time: Date = t0
) -> EventRecord {
    EventRecord(
        podUID: podUID, namespace: "default", podName: "web", fieldPath: fieldPath, type: "Normal",
        reason: reason, message: message, firstTimestamp: time)
}

/// A store in memory holding `makePod()`.
func storeWithPod(options: StoreOptions = StoreOptions()) throws -> StateStore {
    let store = try StateStore.inMemory(options: options)
    try store.write { try $0.savePod(makePod()) }
    return store
}

/// Rows per table, read through the public API, for "nothing changed" assertions.
struct Snapshot: Equatable {
    var pods: [PodRecord]
    var containers: [ContainerRecord]
    var conditions: [ConditionRecord]
    var sandboxes: [SandboxRecord]
    var updates: [InPlaceUpdateRecord]
    var events: [EventRecord]
    var outbox: [OutboxRecord]

    init(_ store: StateStore, podUID: String = "uid-1") throws {
        self = try store.read { r throws in
            Snapshot(
                pods: try r.pods(), containers: try r.allContainers(), conditions: try r.conditions(podUID: podUID),
                sandboxes: try r.sandboxes(podUID: podUID), updates: try r.updates(podUID: podUID),
                events: try r.events(limit: 1000), outbox: try r.pendingStatuses(limit: 1000, now: .distantFuture))
        }
    }

    private init(
        pods: [PodRecord], containers: [ContainerRecord], conditions: [ConditionRecord],
        sandboxes: [SandboxRecord], updates: [InPlaceUpdateRecord], events: [EventRecord],
        outbox: [OutboxRecord]
    ) {
        self.pods = pods
        self.containers = containers
        self.conditions = conditions
        self.sandboxes = sandboxes
        self.updates = updates
        self.events = events
        self.outbox = outbox
    }
}
