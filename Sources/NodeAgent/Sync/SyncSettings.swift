import ContainerRuntime
import Foundation
import Logging
import PodAPI
import StateStore

/// The settings the executors read: a subset of ``AgentConfiguration``.
struct SyncSettings: Sendable {
    var hashAlgorithm: HashAlgorithm
    /// Prefix of container IDs in status (`<runtimeName>://<id>`).
    var runtimeName: String
    var podLogRoot: String
    var podsDirectory: String
    /// Seconds between closing the gate and stopping the old container when the pod has no annotation.
    var defaultGraceSeconds: Double
    /// The first restart back-off delay, seconds (a failed sync is retried within it).
    var backoffBaseSeconds: Double
    var nodeIP: String?

    init(_ config: AgentConfiguration, runtimeName: String) {
        hashAlgorithm = config.hashAlgorithm
        self.runtimeName = runtimeName
        podLogRoot = config.podLogRoot
        podsDirectory = config.podsDirectory
        defaultGraceSeconds = config.defaultGraceSeconds
        backoffBaseSeconds = config.backoffBaseSeconds
        nodeIP = config.nodeIP
    }
}
