import Foundation
import PodAPI

/// How the agent behaves. Durations are seconds.
public struct AgentConfiguration: Sendable {
    /// The node's name: written into events' source and pods' `spec.nodeName`.
    public var nodeName: String
    /// The agent's version, reported by `/healthz`.
    public var version: String
    /// The node's IP: `status.hostIP` of every pod, and `podIP` of host-network pods.
    public var nodeIP: String?
    /// Which kubelet hash new containers are stamped with (default 1.31+ name+image). A container
    /// stamped by the other algorithm is compared by that one, so switching never restarts (B1).
    public var hashAlgorithm: HashAlgorithm
    /// How often the relister lists the runtime's containers (kubelet's PLEG relist: 1 s).
    public var relistPeriodSeconds: Double
    /// Whether the agent follows the runtime's container events when it offers them (CRI
    /// `GetContainerEvents`, kubelet's evented PLEG) and then relists only every
    /// ``eventedRelistPeriodSeconds``. Default true; a runtime without events is relisted every
    /// ``relistPeriodSeconds`` either way.
    public var eventedPLEG = true
    /// The relist period while events flow (kubelet's evented PLEG: 300 s).
    public var eventedRelistPeriodSeconds: Double = 300
    /// Grace between closing the InPlaceUpdateReady gate and stopping the old container, when the
    /// pod has no `inplaced.io/inplace-update-grace-seconds` annotation (OpenKruise default: 0).
    public var defaultGraceSeconds: Double
    /// Restart back-off: first delay and cap (kubelet: 10 s doubling to 300 s).
    public var backoffBaseSeconds: Double
    public var backoffMaxSeconds: Double
    /// Pod update policy when a pod has no `inplaced.io/pod-update-policy` annotation.
    public var defaultUpdatePolicy: String
    /// Root of the pods' log directories (kubelet: `/var/log/pods`).
    public var podLogRoot: String
    /// Root of the pods' own directories, where emptyDir volumes live as
    /// `<podsDirectory>/<uid>/volumes/kubernetes.io~empty-dir/<name>` (kubelet: `/var/lib/kubelet/pods`).
    public var podsDirectory: String
    /// How many pods sync at once (a bound on concurrent runtime calls).
    public var maxConcurrentSyncs: Int
    /// Seconds between syncs of every pod even without a trigger (kubelet resyncs pods every
    /// 60 s by default); 0 disables.
    public var resyncPeriodSeconds: Double

    public init(
        nodeName: String = ProcessInfo.processInfo.hostName, version: String = AgentVersion.current,
        hashAlgorithm: HashAlgorithm = .nameImage, relistPeriodSeconds: Double = 1,
        defaultGraceSeconds: Double = 0, backoffBaseSeconds: Double = 10, backoffMaxSeconds: Double = 300,
        defaultUpdatePolicy: String = WellKnown.inPlaceIfPossible, podLogRoot: String = "/var/log/pods",
        maxConcurrentSyncs: Int = 64, resyncPeriodSeconds: Double = 60, nodeIP: String? = nil,
        podsDirectory: String = "/var/lib/inplaced/pods"
    ) {
        self.podsDirectory = podsDirectory
        self.nodeIP = nodeIP
        self.nodeName = nodeName
        self.version = version
        self.hashAlgorithm = hashAlgorithm
        self.relistPeriodSeconds = relistPeriodSeconds
        self.defaultGraceSeconds = defaultGraceSeconds
        self.backoffBaseSeconds = backoffBaseSeconds
        self.backoffMaxSeconds = backoffMaxSeconds
        self.defaultUpdatePolicy = defaultUpdatePolicy
        self.podLogRoot = podLogRoot
        self.maxConcurrentSyncs = maxConcurrentSyncs
        self.resyncPeriodSeconds = resyncPeriodSeconds
    }
}
