/// The core/v1 Pod schema of Kubernetes 1.33 as a static table: every struct reachable from
/// `Pod`, its fields by JSON name and their types (see `SchemaType`). `SchemaChecker` walks a
/// manifest against it. Subtrees the agent never inspects and that are too deep to list with
/// confidence (`status`, a PVC template, managed fields' `fieldsV1`) are opaque: accepted as any
/// JSON, never reported as unknown.
enum PodSchema {
    /// All structs by Go name.
    static let structs: [String: StructSchema] = {
        var all: [String: StructSchema] = [:]
        for s in core + containers + volumes + scheduling + security { all[s.name] = s }
        return all
    }()

    /// The root type of a Pod manifest.
    static let root = "Pod"

    static let core: [StructSchema] = [
        StructSchema(
            "Pod",
            [
                "apiVersion": .str, "kind": .str,
                "metadata": .obj("ObjectMeta"), "spec": .obj("PodSpec"),
                "status": .opaque("v1.PodStatus"),
            ]),
        StructSchema(
            "ObjectMeta",
            [
                "name": .str, "generateName": .str, "namespace": .str, "selfLink": .str,
                "uid": .string("types.UID"), "resourceVersion": .str, "generation": .int64,
                "creationTimestamp": .time, "deletionTimestamp": .time, "deletionGracePeriodSeconds": .int64,
                "labels": .strMap, "annotations": .strMap,
                "ownerReferences": .list("OwnerReference"), "finalizers": .strs,
                "managedFields": .list("ManagedFieldsEntry"),
            ]),
        StructSchema(
            "OwnerReference",
            [
                "apiVersion": .str, "kind": .str, "name": .str, "uid": .string("types.UID"),
                "controller": .bool, "blockOwnerDeletion": .bool,
            ]),
        StructSchema(
            "ManagedFieldsEntry",
            [
                "manager": .str, "operation": .named("ManagedFieldsOperationType"), "apiVersion": .str,
                "time": .time, "fieldsType": .str, "fieldsV1": .opaque("v1.FieldsV1"), "subresource": .str,
            ]),
        StructSchema(
            "PodSpec",
            [
                "volumes": .list("Volume"),
                "initContainers": .list("Container"),
                "containers": .list("Container"),
                "ephemeralContainers": .list("EphemeralContainer"),
                "restartPolicy": .named("RestartPolicy"),
                "terminationGracePeriodSeconds": .int64,
                "activeDeadlineSeconds": .int64,
                "dnsPolicy": .named("DNSPolicy"),
                "nodeSelector": .strMap,
                "serviceAccountName": .str,
                "serviceAccount": .str,
                "automountServiceAccountToken": .bool,
                "nodeName": .str,
                "hostNetwork": .bool,
                "hostPID": .bool,
                "hostIPC": .bool,
                "shareProcessNamespace": .bool,
                "securityContext": .obj("PodSecurityContext"),
                "imagePullSecrets": .list("LocalObjectReference"),
                "hostname": .str,
                "subdomain": .str,
                "affinity": .obj("Affinity"),
                "schedulerName": .str,
                "tolerations": .list("Toleration"),
                "hostAliases": .list("HostAlias"),
                "priorityClassName": .str,
                "priority": .int32,
                "dnsConfig": .obj("PodDNSConfig"),
                "readinessGates": .list("PodReadinessGate"),
                "runtimeClassName": .str,
                "enableServiceLinks": .bool,
                "preemptionPolicy": .named("PreemptionPolicy"),
                "overhead": .resourceList,
                "topologySpreadConstraints": .list("TopologySpreadConstraint"),
                "setHostnameAsFQDN": .bool,
                "os": .obj("PodOS"),
                "hostUsers": .bool,
                "schedulingGates": .list("PodSchedulingGate"),
                "resourceClaims": .list("PodResourceClaim"),
                "resources": .obj("ResourceRequirements"),
            ]),
        StructSchema("LocalObjectReference", ["name": .str]),
        StructSchema("PodReadinessGate", ["conditionType": .named("PodConditionType")]),
        StructSchema("PodSchedulingGate", ["name": .str]),
        StructSchema("PodOS", ["name": .named("OSName")]),
        StructSchema("HostAlias", ["ip": .str, "hostnames": .strs]),
        StructSchema("PodDNSConfig", ["nameservers": .strs, "searches": .strs, "options": .list("PodDNSConfigOption")]),
        StructSchema("PodDNSConfigOption", ["name": .str, "value": .str]),
        StructSchema("PodResourceClaim", ["name": .str, "resourceClaimName": .str, "resourceClaimTemplateName": .str]),
    ]
}
