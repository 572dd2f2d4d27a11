import Foundation
import PodAPI

/// The coordination.k8s.io/v1 Lease a node renews (`kube-node-lease/<node>`): holder the node,
/// `leaseDurationSeconds` 40, `renewTime` with microseconds, as kubelet writes it.
struct NodeLease: Encodable {
    struct Meta: Encodable {
        var name: String
        var namespace = "kube-node-lease"
    }
    struct Spec: Encodable {
        var holderIdentity: String
        var leaseDurationSeconds: Int
        var renewTime: String
    }
    var apiVersion = "coordination.k8s.io/v1"
    var kind = "Lease"
    var metadata: Meta
    var spec: Spec

    init(nodeName: String, durationSeconds: Int, renewTime: Date) {
        metadata = Meta(name: nodeName)
        spec = Spec(holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: Self.microTime(renewTime))
    }

    /// metav1.MicroTime: `2026-12-02T17:00:00.000000Z`.
    static func microTime(_ date: Date) -> String {
        let seconds = Time(date).description.dropLast()
        let micros = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
        return "\(seconds).\(String(format: "%06d", micros))Z"
    }
}
