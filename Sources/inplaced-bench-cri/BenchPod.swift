import Foundation
import PodAPI

/// The benchmark's pod: host network (no CNI), `app` (the container upgraded) and `sidecar`
/// (never upgraded), both from the local test image with its HTTP server off, the
/// InPlaceUpdateReady gate, an in-place grace of 0 and terminationGracePeriodSeconds 5.
enum BenchPod {
    static let image = "example.local/app"
    /// Label on every pod (so every sandbox) the benchmark makes.
    static let label = "inplaced.io/bench"
    static let gracePeriod: Int64 = 5

    /// The manifest of pod `name` with the app image at `tag`; `revision` is an env var of the
    /// sidecar: changing it is a change that cannot be made in place (the pod is recreated).
    static func manifest(name: String, tag: String, revision: Int) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
          labels: {\(label): "true"}
          annotations: {inplaced.io/inplace-update-grace-seconds: "0"}
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: \(gracePeriod)
          readinessGates:
          - conditionType: InPlaceUpdateReady
          containers:
          - name: app
            image: \(image):\(tag)
            imagePullPolicy: IfNotPresent
            env: [{name: HTTP_PORT, value: none}]
          - name: sidecar
            image: \(image):v1
            imagePullPolicy: IfNotPresent
            env: [{name: HTTP_PORT, value: none}, {name: BENCH_REVISION, value: "\(revision)"}]
        """
    }

    /// The manifest decoded and defaulted as the agent reads it.
    static func pod(name: String, tag: String, revision: Int) throws -> Pod {
        let text = manifest(name: name, tag: tag, revision: revision)
        let result = ManifestLoader.load(data: Data(text.utf8), fileName: "\(name).yaml")
        guard let pod = result.pods.first?.pod else {
            throw BenchError("the bench manifest does not load: \(result.errors.map(\.message))")
        }
        return pod
    }
}
