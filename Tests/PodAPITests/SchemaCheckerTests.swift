import Testing

@testable import PodAPI

@Suite struct SchemaCheckerTests {
    func decode(_ yaml: String) -> PodDecodeResult {
        let parsed = YAMLManifestParser.parse(yaml)
        return PodDecoding.decode(parsed.documents.first!!)
    }

    @Test func wrongTypesUseGoDecoderWording() {
        let cases: [(String, String)] = [
            (
                "spec:\n  containers: \"nginx\"\n",
                "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"
            ),
            (
                "spec:\n  containers: [\"nginx\"]\n",
                "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container"
            ),
            (
                "spec:\n  containers:\n  - name: 5\n",
                "json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string"
            ),
            (
                "spec:\n  containers:\n  - ports:\n    - containerPort: \"80\"\n",
                "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
            ),
            (
                "spec:\n  containers:\n  - ports:\n    - containerPort: 1.5\n",
                "json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
            ),
            (
                "spec:\n  containers:\n  - ports:\n    - containerPort: 99999999999\n",
                "json: cannot unmarshal number 99999999999 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
            ),
            (
                "spec:\n  restartPolicy: 5\n",
                "json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy"
            ),
            (
                "spec:\n  hostNetwork: \"yes\"\n",
                "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool"
            ),
            (
                "metadata:\n  labels:\n    app: 5\n",
                "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"
            ),
            (
                "metadata: [a]\n",
                "json: cannot unmarshal array into Go struct field Pod.metadata of type v1.ObjectMeta"
            ),
            (
                "spec:\n  containers:\n  - env:\n    - name: A\n      value: yes\n",
                "json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string"
            ),
            (
                "spec:\n  securityContext: true\n",
                "json: cannot unmarshal bool into Go struct field PodSpec.spec.securityContext of type v1.PodSecurityContext"
            ),
            (
                "spec:\n  volumes:\n  - name: v\n    hostPath: {path: 1}\n",
                "json: cannot unmarshal number into Go struct field HostPathVolumeSource.spec.volumes.hostPath.path of type string"
            ),
        ]
        for (body, message) in cases {
            let r = decode("apiVersion: v1\nkind: Pod\n" + body)
            #expect(r.pod == nil)
            #expect(r.errors.contains(message), "\(body) gave \(r.errors)")
        }
    }

    @Test func everyWrongTypeIsReported() {
        let r = decode("apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: 1\n  containers:\n  - name: a\n    tty: \"x\"\n")
        #expect(r.errors.count == 2)
    }

    @Test func quantitiesAndIntOrStringAreChecked() {
        let bad = decode("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    resources:\n      limits:\n        cpu: lots\n")
        #expect(
            bad.errors == [
                "spec.containers[0].resources.limits[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            ])
        let good = decode(
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    resources:\n      limits: {cpu: 500m, memory: 1Gi, x: 2, y: 1.5e3}\n"
        )
        #expect(good.errors.isEmpty)
        let port = decode(
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    livenessProbe:\n      tcpSocket: {port: true}\n")
        #expect(port.errors == ["spec.containers[0].livenessProbe.tcpSocket.port: json: cannot unmarshal bool into Go value of type int32"])
    }

    @Test func unknownFieldsAreDroppedWithIndexedPaths() {
        let r = decode(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a, colour: red}\nspec:\n  containers:\n  - name: a\n  - name: b\n    ports: [{containerPort: 1, prot: TCP}]\n  volumes:\n  - name: v\n    emptyDir: {medium: Memory, size: 1}\n"
        )
        #expect(r.errors.isEmpty)
        #expect(
            r.warnings == [
                "unknown field \"metadata.colour\"",
                "unknown field \"spec.containers[1].ports[0].prot\"",
                "unknown field \"spec.volumes[0].emptyDir.size\"",
            ])
        #expect(r.pod?.spec.containers[1].other["ports"] == .array([.object(["containerPort": .integer(1)])]))
    }

    @Test func opaqueSubtreesAreNotWarned() {
        let r = decode(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  managedFields:\n  - manager: m\n    fieldsV1: {\"f:spec\": {}}\nspec:\n  containers: [{name: a}]\n  volumes:\n  - name: e\n    ephemeral:\n      volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce]}}\nstatus: {phase: Running, anything: 1}\n"
        )
        #expect(r.errors.isEmpty)
        #expect(r.warnings.isEmpty)
        #expect(r.pod?.status == nil)
    }

    @Test func nullsBecomeAbsentOrZero() {
        let r = decode(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {x: null}\nspec:\n  containers:\n  - name: a\n    command: [null, b]\n    args: null\n"
        )
        #expect(r.errors.isEmpty)
        #expect(r.pod?.metadata.labels == ["x": ""])
        #expect(r.pod?.spec.containers[0].command == ["", "b"])
        #expect(r.pod?.spec.containers[0].args == nil)
    }

    @Test func typeMetaErrors() {
        #expect(
            PodDecoding.decode(.object(["apiVersion": .string("v1")])).errors == [#"Object 'Kind' is missing in '{"apiVersion":"v1"}'"#])
        #expect(PodDecoding.decode(.object(["kind": .string("Pod")])).errors == [#"Object 'apiVersion' is missing in '{"kind":"Pod"}'"#])
        #expect(PodDecoding.decode(.string("# Markdown")).errors == [##"Object 'Kind' is missing in '"# Markdown"'"##])
        #expect(
            PodDecoding.decode(.object(["kind": .integer(1), "apiVersion": .string("v1")])).errors
                == ["couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string"])
        let both = PodDecoding.decode(
            .object(["kind": .string("Deployment"), "apiVersion": .string("apps/v1"), "spec": .object(["template": .object([:])])]))
        #expect(
            both.errors == [
                "kind: Unsupported value: \"Deployment\": supported values: \"Pod\"",
                "apiVersion: Unsupported value: \"apps/v1\": supported values: \"v1\"",
            ])
        #expect(both.warnings.isEmpty)
    }

    @Test func quantityParsing() throws {
        #expect(try #require(Quantity.parse("500m")).value == 0.5)
        #expect(try #require(Quantity.parse("1Gi")).value == 1_073_741_824)
        #expect(Quantity.parse("1.5") != nil && Quantity.parse("1.5") == Quantity.parse("1500m"))
        #expect(try #require(Quantity.parse("1e3")).value == 1000)
        #expect(try #require(Quantity.parse("-2k")).value == -2000)
        #expect(try #require(Quantity.parse(".5Mi")).value == 524_288)
        for bad in ["", "abc", "1.2.3", "5 Gi", "1Gb", "1e", "m", "--1"] {
            #expect(Quantity.parse(bad) == nil, "\(bad)")
        }
    }
}
