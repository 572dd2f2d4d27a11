/// The defaults the API server applies to a Pod on create (core/v1 `SetDefaults_*`), so that the
/// agent, its hashes and its status see the same pod a cluster would.
public enum PodDefaulting {
    /// Fills every unset field that has an API default, in place. Idempotent.
    ///
    /// - metadata.namespace: `default` (when absent or empty);
    /// - spec: restartPolicy `Always`, terminationGracePeriodSeconds `30`, dnsPolicy `ClusterFirst`,
    ///   schedulerName `default-scheduler`, securityContext `{}`, enableServiceLinks `true`
    ///   (SetDefaults_PodSpec, SetDefaults_Pod);
    /// - each container and init container (SetDefaults_Container): imagePullPolicy `Always` when
    ///   the image's tag is `latest` or absent without a digest, else `IfNotPresent` (also for an
    ///   image that does not parse); terminationMessagePath `/dev/termination-log`;
    ///   terminationMessagePolicy `File`; ports' protocol `TCP`, and with hostNetwork a port's
    ///   hostPort equals its containerPort; resource requests default to the limits for each
    ///   resource that has a limit and no request (SetDefaults_Pod);
    /// - probes (SetDefaults_Probe): timeoutSeconds 1, periodSeconds 10, successThreshold 1,
    ///   failureThreshold 3; every httpGet handler (probes and lifecycle): path `/`, scheme `HTTP`;
    /// - env and downward API `fieldRef.apiVersion`: `v1`;
    /// - volumes: a volume with no source is an `emptyDir`; secret, configMap, downwardAPI and
    ///   projected volumes get defaultMode `420` (0644); projected service account tokens get
    ///   expirationSeconds `3600`; hostPath gets type `""`.
    public static func apply(to pod: inout Pod) {
        if (pod.metadata.namespace ?? "").isEmpty { pod.metadata.namespace = "default" }
        var spec = pod.spec
        if (spec.restartPolicy ?? "").isEmpty { spec.restartPolicy = "Always" }
        if spec.terminationGracePeriodSeconds == nil { spec.terminationGracePeriodSeconds = 30 }
        setDefault(&spec.other, "dnsPolicy", .string("ClusterFirst"))
        setDefault(&spec.other, "schedulerName", .string("default-scheduler"))
        if spec.other["securityContext"] == nil { spec.other["securityContext"] = .object([:]) }
        if spec.other["enableServiceLinks"] == nil { spec.other["enableServiceLinks"] = .bool(true) }
        let hostNetwork = spec.hostNetwork ?? false
        spec.containers = spec.containers.map { defaulted($0, hostNetwork: hostNetwork) }
        spec.initContainers = spec.initContainers.map { $0.map { defaulted($0, hostNetwork: hostNetwork) } }
        if case .array(var volumes)? = spec.other["volumes"] {
            for i in volumes.indices { defaultVolume(&volumes[i]) }
            spec.other["volumes"] = .array(volumes)
        }
        pod.spec = spec
    }

    /// A copy of `pod` with the defaults applied.
    public static func applied(to pod: Pod) -> Pod {
        var p = pod
        apply(to: &p)
        return p
    }

    /// The `imagePullPolicy` the API server gives `image` when none is set.
    public static func defaultPullPolicy(forImage image: String) -> String {
        guard let ref = try? ImageReference.parse(image) else { return "IfNotPresent" }
        return ref.defaultPullPolicy
    }

    static func setDefault(_ bag: inout [String: JSONValue], _ key: String, _ value: JSONValue) {
        switch bag[key] {
        case nil, .null?, .string("")?: bag[key] = value
        default: break
        }
    }

    static func defaulted(_ c: Container, hostNetwork: Bool) -> Container {
        var c = c
        if (c.imagePullPolicy ?? "").isEmpty { c.imagePullPolicy = defaultPullPolicy(forImage: c.image ?? "") }
        if (c.terminationMessagePath ?? "").isEmpty { c.terminationMessagePath = "/dev/termination-log" }
        if (c.terminationMessagePolicy ?? "").isEmpty { c.terminationMessagePolicy = "File" }
        var bag = JSONValue.object(c.other)
        bag.editArray("ports") { port in
            port.setDefault("protocol", .string("TCP"))
            if hostNetwork, let cp = port.integer("containerPort") { port.setDefault("hostPort", .integer(cp)) }
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            bag.editObject(probe) { p in
                p.setDefault("timeoutSeconds", .integer(1))
                p.setDefault("periodSeconds", .integer(10))
                p.setDefault("successThreshold", .integer(1))
                p.setDefault("failureThreshold", .integer(3))
                p.editObject("httpGet", defaultHTTPGet)
            }
        }
        bag.editObject("lifecycle") { l in
            l.editObject("postStart") { $0.editObject("httpGet", defaultHTTPGet) }
            l.editObject("preStop") { $0.editObject("httpGet", defaultHTTPGet) }
        }
        bag.editObject("resources") { r in
            guard case .object(let limits)? = r["limits"] else { return }
            var requests = r["requests"]?.objectValue ?? [:]
            for (k, v) in limits where requests[k] == nil { requests[k] = v }
            r.set("requests", .object(requests))
        }
        bag.editArray("env") { e in
            e.editObject("valueFrom") { $0.editObject("fieldRef") { $0.setDefault("apiVersion", .string("v1")) } }
        }
        c.other = bag.objectValue ?? [:]
        return c
    }

    static func defaultHTTPGet(_ h: inout JSONValue) {
        h.setDefault("path", .string("/"))
        h.setDefault("scheme", .string("HTTP"))
    }

    static let volumeSources: Set<String> = [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
        "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
        "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
        "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
    ]

    static func defaultVolume(_ v: inout JSONValue) {
        guard case .object(let o) = v else { return }
        if !o.keys.contains(where: volumeSources.contains) { v.set("emptyDir", .object([:])) }
        for source in ["secret", "configMap", "downwardAPI", "projected"] {
            v.editObject(source) { s in
                if s["defaultMode"] == nil || s["defaultMode"] == .null { s.set("defaultMode", .integer(420)) }
            }
        }
        v.editObject("hostPath") { h in if h["type"] == nil { h.set("type", .string("")) } }
        v.editObject("downwardAPI") { d in
            d.editArray("items") { $0.editObject("fieldRef") { $0.setDefault("apiVersion", .string("v1")) } }
        }
        v.editObject("projected") { p in
            p.editArray("sources") { src in
                src.editObject("serviceAccountToken") { t in
                    if t["expirationSeconds"] == nil { t.set("expirationSeconds", .integer(3600)) }
                }
                src.editObject("downwardAPI") { d in
                    d.editArray("items") { $0.editObject("fieldRef") { $0.setDefault("apiVersion", .string("v1")) } }
                }
            }
        }
    }
}
