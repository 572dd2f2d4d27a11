extension PodSchema {
    /// `Container`, `EphemeralContainer` and everything below them: ports, env, resources,
    /// probes and lifecycle handlers, mounts.
    static let containers: [StructSchema] = {
        let container = StructSchema(
            "Container",
            [
                "name": .str, "image": .str, "command": .strs, "args": .strs, "workingDir": .str,
                "ports": .list("ContainerPort"), "envFrom": .list("EnvFromSource"), "env": .list("EnvVar"),
                "resources": .obj("ResourceRequirements"), "resizePolicy": .list("ContainerResizePolicy"),
                "restartPolicy": .named("ContainerRestartPolicy"),
                "volumeMounts": .list("VolumeMount"), "volumeDevices": .list("VolumeDevice"),
                "livenessProbe": .obj("Probe"), "readinessProbe": .obj("Probe"), "startupProbe": .obj("Probe"),
                "lifecycle": .obj("Lifecycle"),
                "terminationMessagePath": .str, "terminationMessagePolicy": .named("TerminationMessagePolicy"),
                "imagePullPolicy": .named("PullPolicy"), "securityContext": .obj("SecurityContext"),
                "stdin": .bool, "stdinOnce": .bool, "tty": .bool,
            ])
        let handlers: [String: SchemaType] = [
            "exec": .obj("ExecAction"), "httpGet": .obj("HTTPGetAction"), "tcpSocket": .obj("TCPSocketAction"),
        ]
        return [
            container,
            container.adding(["targetContainerName": .str], as: "EphemeralContainer"),
            StructSchema(
                "ContainerPort",
                [
                    "name": .str, "hostPort": .int32, "containerPort": .int32, "protocol": .named("Protocol"), "hostIP": .str,
                ]),
            StructSchema(
                "EnvFromSource",
                [
                    "prefix": .str, "configMapRef": .obj("ConfigMapEnvSource"), "secretRef": .obj("SecretEnvSource"),
                ]),
            StructSchema("ConfigMapEnvSource", ["name": .str, "optional": .bool]),
            StructSchema("SecretEnvSource", ["name": .str, "optional": .bool]),
            StructSchema("EnvVar", ["name": .str, "value": .str, "valueFrom": .obj("EnvVarSource")]),
            StructSchema(
                "EnvVarSource",
                [
                    "fieldRef": .obj("ObjectFieldSelector"), "resourceFieldRef": .obj("ResourceFieldSelector"),
                    "configMapKeyRef": .obj("ConfigMapKeySelector"), "secretKeyRef": .obj("SecretKeySelector"),
                ]),
            StructSchema("ObjectFieldSelector", ["apiVersion": .str, "fieldPath": .str]),
            StructSchema("ResourceFieldSelector", ["containerName": .str, "resource": .str, "divisor": .quantity]),
            StructSchema("ConfigMapKeySelector", ["name": .str, "key": .str, "optional": .bool]),
            StructSchema("SecretKeySelector", ["name": .str, "key": .str, "optional": .bool]),
            StructSchema(
                "ResourceRequirements",
                [
                    "limits": .resourceList, "requests": .resourceList, "claims": .list("ResourceClaim"),
                ]),
            StructSchema("ResourceClaim", ["name": .str, "request": .str]),
            StructSchema(
                "ContainerResizePolicy",
                [
                    "resourceName": .named("ResourceName"), "restartPolicy": .named("ResourceResizeRestartPolicy"),
                ]),
            StructSchema(
                "VolumeMount",
                [
                    "name": .str, "readOnly": .bool, "recursiveReadOnly": .named("RecursiveReadOnlyMode"),
                    "mountPath": .str, "subPath": .str, "mountPropagation": .named("MountPropagationMode"), "subPathExpr": .str,
                ]),
            StructSchema("VolumeDevice", ["name": .str, "devicePath": .str]),
            StructSchema(
                "Probe",
                handlers.merging([
                    "grpc": .obj("GRPCAction"),
                    "initialDelaySeconds": .int32, "timeoutSeconds": .int32, "periodSeconds": .int32,
                    "successThreshold": .int32, "failureThreshold": .int32, "terminationGracePeriodSeconds": .int64,
                ]) { a, _ in a }),
            StructSchema("ExecAction", ["command": .strs]),
            StructSchema(
                "HTTPGetAction",
                [
                    "path": .str, "port": .intOrString, "host": .str, "scheme": .named("URIScheme"),
                    "httpHeaders": .list("HTTPHeader"),
                ]),
            StructSchema("HTTPHeader", ["name": .str, "value": .str]),
            StructSchema("TCPSocketAction", ["port": .intOrString, "host": .str]),
            StructSchema("GRPCAction", ["port": .int32, "service": .str]),
            StructSchema(
                "Lifecycle",
                [
                    "postStart": .obj("LifecycleHandler"), "preStop": .obj("LifecycleHandler"), "stopSignal": .named("Signal"),
                ]),
            StructSchema("LifecycleHandler", handlers.merging(["sleep": .obj("SleepAction")]) { a, _ in a }),
            StructSchema("SleepAction", ["seconds": .int64]),
        ]
    }()
}
