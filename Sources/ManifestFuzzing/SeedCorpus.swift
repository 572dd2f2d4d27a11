import Foundation
import PodAPI

/// One seed manifest: its bytes, and its documents as trees when it parses.
public struct FuzzSeed: Sendable {
    /// Where it came from (a path, or `builtin:<name>`).
    public var name: String
    public var bytes: [UInt8]
    /// Whether it is a `.json` manifest (parsed as strict JSON by the loader).
    public var isJSON: Bool
    /// The non-empty documents of the seed as trees; empty when the seed does not parse.
    public var documents: [FuzzNode]

    /// A seed from `bytes`, parsed as the loader would parse a file named `name`.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        isJSON = name.lowercased().hasSuffix(".json")
        documents = []
        guard let text = try? ManifestText.decode(bytes, prefix: isJSON ? "json" : "yaml") else { return }
        if isJSON {
            if let value = try? StrictJSONParser.parse(text) { documents = [FuzzNode(value, json: true)] }
        } else {
            documents = YAMLManifestParser.parse(text).documents.compactMap { $0 }.map { FuzzNode($0, json: false) }
        }
    }
}

/// The seed corpus: manifest files found under directories, plus a few built-in pods so the
/// generator never runs empty.
public enum SeedCorpus {
    /// Manifest files (`.yaml`, `.yml`, `.json`) under `directories`, recursively, sorted by path
    /// bytes so that a run's inputs depend only on the files, not on the listing order.
    public static func files(under directories: [String]) -> [String] {
        var out: [String] = []
        for dir in directories {
            guard let e = FileManager.default.enumerator(atPath: dir) else { continue }
            while let rel = e.nextObject() as? String {
                let name = (rel as NSString).lastPathComponent
                guard ManifestLoader.isManifestName(name) else { continue }
                let full = (dir as NSString).appendingPathComponent(rel)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue { out.append(full) }
            }
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The built-in seeds, then every manifest file under `directories` of at most `maxBytes`.
    public static func load(directories: [String], maxBytes: Int = 1 << 20) -> [FuzzSeed] {
        var seeds = builtIn
        for path in files(under: directories) {
            guard let data = FileManager.default.contents(atPath: path), data.count <= maxBytes else { continue }
            seeds.append(FuzzSeed(name: path, bytes: [UInt8](data)))
        }
        return seeds
    }

    /// A digest (FNV-1a 64) of the seeds' names and bytes, printed so that two runs can be told
    /// to have had the same corpus.
    public static func digest(_ seeds: [FuzzSeed]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for seed in seeds {
            for b in [UInt8](seed.name.utf8) + [0] + seed.bytes + [0] {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01B3
            }
        }
        return h
    }

    /// Three pods: a minimal one, one with most of the fields a Pod has, and a JSON one.
    public static let builtIn: [FuzzSeed] = [
        FuzzSeed(
            name: "builtin:minimal.yaml",
            bytes: Array(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n".utf8)),
        FuzzSeed(name: "builtin:rich.yaml", bytes: Array(richPod.utf8)),
        FuzzSeed(
            name: "builtin:minimal.json",
            bytes: Array(
                #"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j", "labels": {"app": "j"}}, "spec": {"containers": [{"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"], "ports": [{"containerPort": 8080}]}]}}"#
                    .utf8)),
    ]

    private static let richPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: rich
          namespace: prod
          labels: {app: rich, tier: web}
          annotations:
            note: "a pod with most fields"
        spec:
          restartPolicy: Always
          terminationGracePeriodSeconds: 30
          readinessGates:
          - conditionType: InPlaceUpdateReady
          initContainers:
          - name: init
            image: busybox:1.36
            command: ["sh", "-c", "echo init"]
          containers:
          - name: app
            image: registry.example.com:5000/team/app:1.2.3
            imagePullPolicy: IfNotPresent
            args: ["--port", "8080"]
            env:
            - name: MODE
              value: production
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            ports:
            - name: http
              containerPort: 8080
              protocol: TCP
            resources:
              requests: {cpu: 100m, memory: 64Mi}
              limits: {cpu: "1", memory: 128Mi}
            readinessProbe:
              httpGet: {path: /healthz, port: 8080}
              periodSeconds: 5
              failureThreshold: 3
            livenessProbe:
              tcpSocket: {port: http}
              initialDelaySeconds: 10
            volumeMounts:
            - name: data
              mountPath: /data
            securityContext:
              runAsUser: 1000
              runAsNonRoot: true
              capabilities: {drop: [ALL]}
          volumes:
          - name: data
            emptyDir: {sizeLimit: 1Gi}
          tolerations:
          - key: dedicated
            operator: Equal
            value: web
            effect: NoSchedule

        """
}
