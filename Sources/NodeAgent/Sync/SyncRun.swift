import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// The state of one sync of one pod: what the store held when it began, what the sync changed,
/// and the events and wake-ups it produced. Used by one task only.
final class SyncRun {
    let uid: String
    var record: PodRecord
    let pod: Pod
    /// `RuntimeConfigs.podSpecHash(pod.spec)`: what a sandbox made for this spec is labelled
    /// with, computed once per stored version of the pod (a JSON encoding of the spec), and only
    /// when asked for.
    private(set) lazy var podSpecHash: String = knownSpecHash ?? RuntimeConfigs.podSpecHash(pod.spec)
    private let knownSpecHash: String?
    var containers: [String: ContainerRecord]
    var conditions: [ConditionRecord]
    var sandbox: SandboxRecord?
    var updates: [String: InPlaceUpdateRecord]
    var events: [PendingEvent] = []
    /// Container records noted but not written yet (observations, never an intent): the sync's
    /// next write, or its status, writes them first in its transaction.
    var unsaved: [String: ContainerRecord] = [:]
    /// Conditions set but not written yet (the gate opened by the pass), by type: the sync's
    /// next write, or its status, writes them first in its transaction.
    var unsavedConditions: [String: ConditionRecord] = [:]
    /// In-place updates moved to a step whose act a restarted agent finds again and repeats
    /// without harm (Started, written with the new container's intent; Completed, written with
    /// the status that shows it), by container name: the sync's next write, or its status,
    /// writes them first in its transaction.
    var unsavedUpdates: [String: InPlaceUpdateRecord] = [:]
    /// Containers an in-place update stopped and replaced in this sync (runtime IDs): removed
    /// once the pass's status is published, as kubelet leaves a dead container to its garbage
    /// collector instead of removing it before the new one starts.
    var replaced: [String] = []
    /// The end of a container an in-place update just stopped, being read (ContainerStatus) while
    /// the new container is created, by container name: the stop does not wait for the read. The
    /// start takes it for the new container's created record (``ContainerStarter``); a start
    /// that ends otherwise leaves it to ``InPlaceUpdater``, which notes it on the record.
    var endings: [String: Task<ContainerTermination, any Error>] = [:]
    var wakeups: [Date] = []
    var podIP: String?
    /// What the runtime was seen to hold in this sync (filled by ``PodSyncer``'s observation;
    /// executors add what their calls learn).
    var observed = RuntimeObservation()
    /// The pass acted on a step that must be published before the next is taken: the sync
    /// publishes the status, then takes another pass at once.
    var continueAfterPublish = false
    /// Images made present in this sync, by container name: the image the spec named and the
    /// reference to create from. An in-place update ensures its new image before the stop; the
    /// start that follows in the same sync creates from that answer instead of asking the
    /// runtime again (kubelet makes one EnsureImageExists per container start: so does this).
    var ensuredImages: [String: (image: String, reference: String)] = [:]

    /// - Parameter podSpecHash: the pod's `RuntimeConfigs.podSpecHash`, when the caller has it
    ///   already (nil: computed here).
    init(
        uid: String, record: PodRecord, pod: Pod, podSpecHash: String? = nil, containers: [ContainerRecord],
        conditions: [ConditionRecord], sandboxes: [SandboxRecord], updates: [InPlaceUpdateRecord]
    ) {
        self.uid = uid
        self.record = record
        self.pod = pod
        self.knownSpecHash = podSpecHash
        self.containers = Dictionary(containers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.conditions = conditions
        self.sandbox = sandboxes.max { $0.attempt < $1.attempt }
        self.updates = Dictionary(updates.map { ($0.containerName, $0) }, uniquingKeysWith: { a, b in (a.id ?? 0) > (b.id ?? 0) ? a : b })
        self.podIP = sandbox?.ip
    }

    var namespace: String { pod.metadata.namespace ?? "default" }
    var name: String { pod.metadata.name ?? "" }
    var key: String { "\(namespace)/\(name)" }

    func event(_ e: PendingEvent) { events.append(e) }
    func wake(at date: Date) { wakeups.append(date) }
    func wake(after seconds: Double) { wakeups.append(Date().addingTimeInterval(seconds.isFinite ? min(max(0, seconds), 86_400) : 86_400)) }

    /// The pod's IP as status shows it: the node's for a host-network pod, else its sandbox's.
    func statusPodIP(nodeIP: String?) -> String? {
        (pod.spec.hostNetwork ?? false) ? nodeIP : podIP
    }

    /// The longest grace the annotation may ask for: one day, in seconds.
    static let maxGraceSeconds: Double = 86_400

    /// Grace seconds between gate close and stop: the pod's annotation when it is a number of
    /// seconds in [0, 86400], else the agent default (and a Warning event names the bad value).
    func graceSeconds(default d: Double) -> Double {
        guard let s = pod.metadata.annotations?[WellKnown.graceSecondsAnnotation] else { return d }
        if let v = Double(s.trimmingCharacters(in: .whitespaces)), v.isFinite, v >= 0, v <= Self.maxGraceSeconds { return v }
        event(
            PendingEvent(
                type: "Warning", reason: "InvalidAnnotation",
                message:
                    "metadata.annotations[\(WellKnown.graceSecondsAnnotation)]: Invalid value: \"\(s)\": must be a number of seconds between 0 and 86400; using \(GoDuration.format(d))"
            ))
        return d
    }

    /// The grace period of a deletion that asked for one (the API's deletionGracePeriodSeconds).
    var gracePeriodOverride: Int64?

    /// Seconds a stopped container is given: a deletion's grace period, else the pod's
    /// terminationGracePeriodSeconds (30 when unset).
    var terminationGracePeriod: Int64 { gracePeriodOverride ?? pod.spec.terminationGracePeriodSeconds ?? 30 }

    /// Takes the pending events as records for the store, emptying the list.
    func drainEvents(at now: Date) -> [EventRecord] {
        defer { events.removeAll() }
        return events.map { $0.record(podUID: uid, namespace: namespace, name: name, at: now) }
    }

    func setCondition(_ type: String, status: String, reason: String?, message: String? = nil, now: Date) -> ConditionRecord {
        let rec = ConditionRecord(podUID: uid, type: type, status: status, reason: reason, message: message, lastTransitionTime: now)
        if let i = conditions.firstIndex(where: { $0.type == type }) {
            if conditions[i].status == status && conditions[i].reason == reason {
                return conditions[i]
            }
            conditions[i] = rec
        } else {
            conditions.append(rec)
        }
        return rec
    }
}
